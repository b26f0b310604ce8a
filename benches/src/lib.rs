//! Benchmarks only; see `benches/`. Run them with `cargo bench -p benchmarks`.
//!
//! What the benchmarks share: a global allocator that counts peak heap, timing one run with its peak, and medians.

use std::alloc::{GlobalAlloc, Layout, System};
use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Counts live and peak heap bytes, so each variant's peak can be read. A benchmark installs it with
/// `#[global_allocator] static GLOBAL: benchmarks::Counting = benchmarks::Counting;`.
pub struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded to the system allocator unchanged; only the byte counts are added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(live, Ordering::Relaxed);
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

/// Runs `f` and returns its time, the peak heap above what was live when it started (bytes; counted only when
/// [`Counting`] is the global allocator), and its output.
pub async fn measure<T, F: Future<Output = T>>(f: F) -> (Duration, usize, T) {
    let baseline = LIVE.load(Ordering::Relaxed);
    PEAK.store(baseline, Ordering::Relaxed);
    let start = Instant::now();
    let output = f.await;
    let elapsed = start.elapsed();
    (elapsed, PEAK.load(Ordering::Relaxed).saturating_sub(baseline), output)
}

/// The median of `samples` (the upper one of an even count).
pub fn median(samples: &mut [Duration]) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

/// `d` in milliseconds.
pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}
