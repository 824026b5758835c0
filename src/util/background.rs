//! Work that nobody waits for.

/// Frees `value` in a thread of its own. Freeing ten thousand stories, or a map of every URL,
/// takes milliseconds that a build or a preview save should not spend before it is done.
/// Where no thread can be started (a process limit), the failed spawn drops the closure, and
/// `value` with it, right here: unlike `std::thread::spawn`, it does not panic.
pub(crate) fn drop<T: Send + 'static>(value: T) {
    let _ = std::thread::Builder::new().spawn(move || std::mem::drop(value));
}
