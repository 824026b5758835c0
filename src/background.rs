//! Work that nobody waits for.

/// Frees `value` in a thread of its own. Freeing ten thousand stories, or a map of every URL,
/// takes milliseconds that a build or a preview save should not spend before it is done.
pub fn drop<T: Send + 'static>(value: T) {
    std::thread::spawn(move || std::mem::drop(value));
}
