//! The binary's memory allocator: mimalloc (plain blocks where the alignment allows), set to
//! hand freed memory back to the system at once.
//!
//! A render allocates millions of short strings and Liquid values on three threads (render,
//! Markdown worker, output writer). glibc's malloc spent ~15% of a 10,000-collection render in
//! its own bookkeeping; mimalloc cut the render's user time by a third (docs/benchmarks-notes.md).
//! mimalloc keeps freed pages for a second by default; purging them at once keeps that render's
//! peak RSS under 300 MB at the same speed. `main.rs` installs it as the global allocator and
//! calls [`tune`] first thing (and [`no_huge_pages`] for `render` and `serve`); the library
//! and its tests do not depend on it.

use std::alloc::{GlobalAlloc, Layout};
use std::ffi::{c_int, c_long, c_void};

/// The allocator `main.rs` installs: mimalloc, asked for plain blocks when the alignment is
/// one every block has.
///
/// The `mimalloc` crate asks for every block through `mi_malloc_aligned`, whose checks and
/// extra calls were ~5% of a 2,000-document render's instructions; nearly every Rust
/// allocation (strings, vectors, `Arc`s) needs no more than the 8 bytes all mimalloc blocks
/// are aligned to. Larger alignments still go through the crate. That holds for mimalloc's
/// release build, the one Cargo.toml selects (`default-features = false`); its debug build's
/// guarded blocks, placed right before a guard page, need not be word-aligned.
pub struct Allocator;

/// The alignment every mimalloc block has (its smallest size class is one word).
const PLAIN_ALIGN: usize = std::mem::size_of::<usize>();

extern "C" {
    fn mi_option_set(option: c_int, value: c_long);
    fn mi_option_get(option: c_int) -> c_long;
    fn mi_malloc(size: usize) -> *mut c_void;
    fn mi_zalloc(size: usize) -> *mut c_void;
    fn mi_realloc(p: *mut c_void, newsize: usize) -> *mut c_void;
    fn mi_free(p: *mut c_void);
}

// SAFETY: each method hands the request to mimalloc, plain when `layout.align()` is at most
// the alignment every mimalloc block has, and otherwise to the `mimalloc` crate's aligned
// calls; blocks from either path are freed by `mi_free`, which takes any mimalloc block.
unsafe impl GlobalAlloc for Allocator {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if layout.align() <= PLAIN_ALIGN {
            mi_malloc(layout.size()).cast()
        } else {
            mimalloc::MiMalloc.alloc(layout)
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if layout.align() <= PLAIN_ALIGN {
            mi_zalloc(layout.size()).cast()
        } else {
            mimalloc::MiMalloc.alloc_zeroed(layout)
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        mi_free(ptr.cast());
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if layout.align() <= PLAIN_ALIGN {
            mi_realloc(ptr.cast(), new_size).cast()
        } else {
            mimalloc::MiMalloc.realloc(ptr, layout, new_size)
        }
    }
}

/// `mi_option_purge_delay` in mimalloc.h (v3, the version libmimalloc-sys builds by default);
/// the -sys crate exports no constant for it. The test below checks it is the option whose
/// default is 1000 ms (v3's `options.c`).
const MI_OPTION_PURGE_DELAY: c_int = 15;

/// Purge freed memory immediately instead of after a second.
pub fn tune() {
    // SAFETY: mimalloc documents options as settable at any time from any thread.
    unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, 0) }
}

/// Turns transparent huge pages off for this process (Linux; elsewhere nothing). mimalloc asks
/// for them, and each first touch of a huge page zeroes 2 MiB: a one-shot render spent ~13% of
/// its samples in the kernel's `clear_page`, and its peak RSS was 289 MB against 275 MB
/// without (10,000 × 3 registry). The setting is inherited by child processes, so only the
/// site commands (`render`, `serve`) call this. A failure only keeps the default.
///
/// Left on for a small site, they saved ~2–4% of a 2,000-document render's wall time (peak
/// RSS 56 → 80 MB), but the choice comes only after the site is read, and huge pages during
/// the read of the 10,000 × 3 registry made its render slower and its peak RSS 286 MB.
pub fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    let _ = rustix::thread::disable_transparent_huge_pages(true);
}

/// mimalloc's own purge delay (v3's default), in milliseconds.
const DEFAULT_PURGE_DELAY: c_long = 1000;

/// Keeps freed pages for reuse (mimalloc's default) instead of purging them at once: for a
/// workload small enough that its peak memory does not matter. Purging at once costs a page
/// fault for every page used again: on a 2,000-document site render that was half of its
/// ~16,000 page faults, ~10% of its CPU time, for 6 MB less peak RSS.
pub fn keep_freed_pages() {
    // SAFETY: as in `tune`.
    unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, DEFAULT_PURGE_DELAY) }
}

/// Never purges again: the process is about to exit, and the system takes all its memory
/// back at once. Otherwise mimalloc's exit handler hands every kept page back one `madvise`
/// at a time (~1% of a 2,000-document render's samples).
pub fn exiting() {
    // SAFETY: as in `tune`.
    unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, -1) }
}

/// The purge delay now in effect, in milliseconds.
pub fn purge_delay() -> c_long {
    // SAFETY: reading an option has no preconditions.
    unsafe { mi_option_get(MI_OPTION_PURGE_DELAY) }
}

#[cfg(test)]
mod tests {
    use std::alloc::{GlobalAlloc, Layout};

    #[test]
    fn blocks_are_aligned_and_keep_their_bytes_through_realloc() {
        let a = super::Allocator;
        let sizes = (1..300).chain([1000, 4096, 5000, 70_000, 3 << 20]);
        for size in sizes {
            for align in [1, 2, 4, 8, 16, 64, 4096] {
                let layout = Layout::from_size_align(size, align).expect("layout");
                // SAFETY: a non-zero size; each block is written within its size, then freed
                // once with its current layout.
                unsafe {
                    let zeroed = a.alloc_zeroed(layout);
                    assert!(!zeroed.is_null());
                    assert_eq!(zeroed as usize % align, 0, "size {size} align {align}");
                    assert!((0..size).all(|i| *zeroed.add(i) == 0));
                    a.dealloc(zeroed, layout);
                    let p = a.alloc(layout);
                    assert_eq!(p as usize % align, 0, "size {size} align {align}");
                    for i in 0..size {
                        *p.add(i) = (i % 251) as u8;
                    }
                    let bigger = size * 3 + 5;
                    let q = a.realloc(p, layout, bigger);
                    assert_eq!(q as usize % align, 0, "realloc to {bigger} align {align}");
                    assert!((0..size).all(|i| *q.add(i) == (i % 251) as u8));
                    a.dealloc(q, Layout::from_size_align(bigger, align).expect("layout"));
                }
            }
        }
    }

    #[test]
    fn the_option_is_the_purge_delay() {
        // mimalloc v3's default for `purge_delay` is 1000 (ms); no option next to it in the
        // enum has that default (use_numa_nodes is 0, for one).
        assert_eq!(super::purge_delay(), super::DEFAULT_PURGE_DELAY);
        super::tune();
        assert_eq!(super::purge_delay(), 0);
        super::keep_freed_pages();
        assert_eq!(super::purge_delay(), super::DEFAULT_PURGE_DELAY);
    }
}
