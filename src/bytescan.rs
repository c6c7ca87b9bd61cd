//! Finding bytes of a small set in text, 16 bytes at a time where SSE2 is there (every
//! x86-64; elsewhere the caller's scalar loop does all the work). For the page-length scans
//! the render runs on every document (word counts, typography), where a byte-at-a-time loop
//! showed in profiles; and the little-endian word loads short-string comparisons build on.
//! Not for anything needing more than equality with a few bytes.

/// The 4 bytes of `b` at `at`, as a little-endian number (panics past the end).
#[inline]
pub fn le_u32(b: &[u8], at: usize) -> u32 {
    let mut w = [0u8; 4];
    w.copy_from_slice(&b[at..at + 4]);
    u32::from_le_bytes(w)
}

/// The 8 bytes of `b` at `at`, as a little-endian number (panics past the end).
#[inline]
pub fn le_u64(b: &[u8], at: usize) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(&b[at..at + 8]);
    u64::from_le_bytes(w)
}

/// The masks of `b`'s whole 16-byte chunks, in order (bit `i` set when byte `i` of the chunk
/// is in `set`), and the tail that fills no chunk, left to the caller's scalar loop.
pub fn chunk_masks<'a>(b: &'a [u8], set: &'a [u8]) -> (impl Iterator<Item = u32> + 'a, &'a [u8]) {
    #[cfg(target_arch = "x86_64")]
    {
        let chunks = b.chunks_exact(16);
        let tail = chunks.remainder();
        (chunks.map(move |chunk| mask16(chunk, set)), tail)
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        let _ = set;
        (std::iter::empty(), b)
    }
}

#[cfg(target_arch = "x86_64")]
fn mask16(chunk: &[u8], set: &[u8]) -> u32 {
    use std::arch::x86_64::*;
    debug_assert_eq!(chunk.len(), 16);
    // SAFETY: SSE2 is part of x86-64; the load reads exactly the 16 bytes of `chunk`.
    unsafe {
        let v = _mm_loadu_si128(chunk.as_ptr().cast());
        let mut any = _mm_setzero_si128();
        for &c in set {
            any = _mm_or_si128(any, _mm_cmpeq_epi8(v, _mm_set1_epi8(c as i8)));
        }
        _mm_movemask_epi8(any) as u32
    }
}

#[cfg(test)]
mod tests {
    proptest::proptest! {
        #[test]
        fn masks_mark_exactly_the_bytes_of_the_set(s in "[ab\"\\- \n\0é]{0,70}") {
            let set = b"\"- \0";
            let (masks, tail) = super::chunk_masks(s.as_bytes(), set);
            let mut marked: Vec<bool> = masks
                .flat_map(|m| (0..16).map(move |i| m & (1 << i) != 0))
                .collect();
            marked.extend(tail.iter().map(|c| set.contains(c)));
            let want: Vec<bool> = s.bytes().map(|c| set.contains(&c)).collect();
            proptest::prop_assert_eq!(marked, want);
        }
    }
}
