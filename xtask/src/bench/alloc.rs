//! A global allocator that can count live heap bytes and their peak, so the
//! benchmark can state how much memory a stage needed. It forwards to
//! mimalloc: glibc's allocator spends a large part of a big run coalescing
//! free chunks (`unlink_chunk`, `malloc_consolidate` lead the profile of the
//! Identity portion copied 201 times), mimalloc does not. Counting is off except inside [`measure`]: two atomic
//! operations on shared counters per allocation, contended by every thread,
//! would slow the very runs the benchmark times.

use mimalloc::MiMalloc as Inner;
use std::alloc::{GlobalAlloc, Layout};
use std::sync::atomic::{AtomicBool, AtomicIsize, Ordering};

static COUNTING: AtomicBool = AtomicBool::new(false);
/// Bytes allocated minus bytes freed since counting started. Negative when
/// more was freed than allocated (blocks from before counting started).
static LIVE: AtomicIsize = AtomicIsize::new(0);
static PEAK: AtomicIsize = AtomicIsize::new(0);
static INSTALLED: AtomicBool = AtomicBool::new(false);

/// Install with `#[global_allocator] static A: Counting = Counting;` in a binary.
pub struct Counting;

// SAFETY: every call is forwarded unchanged to mimalloc; the counters are
// only bookkeeping beside it.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let ptr = Inner.alloc(layout);
        if !ptr.is_null() {
            changed(layout.size() as isize);
        }
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let ptr = Inner.alloc_zeroed(layout);
        if !ptr.is_null() {
            changed(layout.size() as isize);
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        Inner.dealloc(ptr, layout);
        changed(-(layout.size() as isize));
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let new = Inner.realloc(ptr, layout, new_size);
        if !new.is_null() {
            changed(new_size as isize - layout.size() as isize);
        }
        new
    }
}

fn changed(bytes: isize) {
    if !COUNTING.load(Ordering::Relaxed) {
        return;
    }
    INSTALLED.store(true, Ordering::Relaxed);
    let live = LIVE.fetch_add(bytes, Ordering::Relaxed) + bytes;
    if bytes > 0 {
        PEAK.fetch_max(live, Ordering::Relaxed);
    }
}

/// What [`measure`] counted.
pub struct Counted {
    /// The most heap bytes live at once during the work, above those live
    /// before it.
    pub peak: usize,
    /// Heap bytes the work left allocated (held by its result).
    pub retained: usize,
    /// False when [`Counting`] is not the global allocator: both read 0.
    pub installed: bool,
}

/// Runs `work` with counting on. Not meant to nest or to overlap other
/// measurements.
pub fn measure<T>(work: impl FnOnce() -> T) -> (T, Counted) {
    LIVE.store(0, Ordering::Relaxed);
    PEAK.store(0, Ordering::Relaxed);
    COUNTING.store(true, Ordering::SeqCst);
    let result = work();
    COUNTING.store(false, Ordering::SeqCst);
    let bytes = |a: &AtomicIsize| a.load(Ordering::Relaxed).max(0) as usize;
    let counted = Counted {
        peak: bytes(&PEAK),
        retained: bytes(&LIVE),
        installed: INSTALLED.load(Ordering::Relaxed),
    };
    (result, counted)
}
