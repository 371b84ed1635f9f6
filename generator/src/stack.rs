//! The stack the generator's recursive stages run on.
//!
//! Parsing (openapiv3's untagged enums buffer and re-read every level),
//! conversion and emission recurse as deep as the spec nests, up to their
//! limits, and debug builds use large frames: a few MiB at the limits, more
//! than the 2 MiB a spawned thread (a test's, an async worker's) gets by
//! default. A thread of its own makes that independent of the caller. Its
//! stack is reserved, not committed, so the margin costs only address space.

/// The stack size of that thread.
const STACK_SIZE: usize = 64 << 20;

/// Runs `work` on a thread with [`STACK_SIZE`] of stack and returns its
/// result; a panic in `work` is resumed on the caller's thread. Should no
/// thread be had, `work` runs on the caller's thread, with whatever stack
/// it has.
pub(crate) fn on_large_stack<T: Send>(work: impl Fn() -> T + Send + Sync) -> T {
    std::thread::scope(|scope| {
        let thread = std::thread::Builder::new()
            .name("stripe-codegen".to_owned())
            .stack_size(STACK_SIZE)
            .spawn_scoped(scope, &work);
        match thread {
            Ok(thread) => thread
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            Err(_) => work(),
        }
    })
}

/// Runs `work` in a rayon pool of `threads` threads (one per core when
/// `None`), each with [`STACK_SIZE`] of stack, so parallel iterators inside
/// `work` recurse as deep as the caller's large stack allows. Should no
/// pool be had, `work` runs on one large-stack thread, where rayon's
/// iterators use its global pool.
pub(crate) fn in_pool<T: Send>(threads: Option<usize>, work: impl Fn() -> T + Send + Sync) -> T {
    let mut builder = rayon::ThreadPoolBuilder::new()
        .stack_size(STACK_SIZE)
        .thread_name(|i| format!("stripe-codegen-{i}"));
    if let Some(threads) = threads {
        builder = builder.num_threads(threads);
    }
    match builder.build() {
        Ok(pool) => pool.install(work),
        Err(_) => on_large_stack(work),
    }
}
