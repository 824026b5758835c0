//! Postings, the lists of documents a stem is found in, in the index's compact text form.
//!
//! Documents are numbered newest first, so a list in increasing order is a list newest first.
//! Each list is written as the gaps between its numbers (the first from -1), each gap minus one
//! in base 32, most significant digit first; a digit that is not a number's last is written
//! from the upper half of the alphabet. Every character is one of `[0-9A-Za-z_-]`, so a list is a
//! JSON string that needs no escaping, and a stem found in every document costs one byte per
//! document.

/// The 64 characters: `DIGITS[d]` ends a number, `DIGITS[32 + d]` continues it.
const DIGITS: &[u8; 64] = b"0123456789abcdefghijklmnopqrstuvABCDEFGHIJKLMNOPQRSTUVWXYZ_-wxyz";

/// Appends the encoded `documents` (increasing) to `out`.
pub(crate) fn encode(documents: &[u32], out: &mut String) {
    let mut previous: i64 = -1;
    let mut digits = [0u8; 8];
    for &document in documents {
        let mut gap = (i64::from(document) - previous - 1).max(0) as u64;
        previous = i64::from(document);
        let mut count = 0;
        loop {
            digits[count] = (gap % 32) as u8;
            count += 1;
            gap /= 32;
            if gap == 0 {
                break;
            }
        }
        for (i, digit) in digits[..count].iter().rev().enumerate() {
            let last = i + 1 == count;
            let index = usize::from(*digit) + if last { 0 } else { 32 };
            out.push(char::from(DIGITS[index]));
        }
    }
}

#[cfg(test)]
pub(crate) fn decode(text: &str) -> Vec<u32> {
    let mut documents = Vec::new();
    let mut previous: i64 = -1;
    let mut value: i64 = 0;
    for byte in text.bytes() {
        let index = DIGITS.iter().position(|d| *d == byte).unwrap_or(0) as i64;
        value = value * 32 + index % 32;
        if index < 32 {
            previous += value + 1;
            documents.push(previous as u32);
            value = 0;
        }
    }
    documents
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_round_trip_and_dense_lists_take_a_byte_each() {
        let dense: Vec<u32> = (0..1000).collect();
        let mut text = String::new();
        encode(&dense, &mut text);
        assert_eq!(text.len(), 1000);
        assert_eq!(decode(&text), dense);
        let sparse = vec![5, 40, 41, 70_000, 1_000_000];
        let mut text = String::new();
        encode(&sparse, &mut text);
        assert_eq!(decode(&text), sparse);
        assert!(
            text.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        );
    }
}
