//! Large arrays on every core, without the GIL: the glue between a Python call and the library's
//! slice kernels. An array is cut into parts that shrink as it runs out ([`kernels::parts`]), each
//! handed to the same kernel (elementwise, so the result is the kernel's, bit for bit), on persistent
//! helper threads that the calling thread never waits for idly: it claims every part no helper has
//! started, and the threads finish a short part apart.
//!
//! ```python
//! relulens.set_num_threads(1)   # or RELULENS_NUM_THREADS=1: one thread, never split
//! relulens.relu(np.ones(10**7, np.float32))   # otherwise split over get_num_threads() threads
//! ```

use std::ops::Range;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use pyo3::prelude::*;
use relulens::activation::{self as kernels, Activation, Stores};

use crate::convert::{Count, FloatElement};
use crate::error::{error, IntoPy, Kind};

/// Arrays at least this long are computed with the GIL released: below, releasing and taking it
/// back costs more than other Python threads would gain.
const DETACH_MIN: usize = 1 << 14;

/// The most threads `set_num_threads` or `RELULENS_NUM_THREADS` may ask for.
const MAX_THREADS: usize = 1024;

/// The threads a kernel may use; 0 until first asked.
static THREADS: AtomicUsize = AtomicUsize::new(0);

/// The number of threads large arrays are split over: `set_num_threads`'s value, else the
/// environment variable `RELULENS_NUM_THREADS`, else the processors this process may use.
pub fn num_threads() -> usize {
    match THREADS.load(Ordering::Relaxed) {
        0 => {
            let n = std::env::var("RELULENS_NUM_THREADS")
                .ok()
                .and_then(|v| v.trim().parse::<usize>().ok())
                .filter(|&n| n > 0)
                .map(|n| n.min(MAX_THREADS))
                .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
            THREADS.store(n, Ordering::Relaxed);
            n
        }
        n => n,
    }
}

/// Sets how many threads the activation functions split large arrays over (1: never split).
///
/// Arrays of 65,536 elements or more are split (in place, into new arrays and into `out=`; the GIL
/// is released from 16,384 on). The helper threads keep looking for the next call for half a
/// millisecond before they sleep, as OpenMP runtimes do, so that calls in a loop find them awake.
#[pyfunction]
pub fn set_num_threads(n: Count) -> PyResult<()> {
    if n.0 == 0 {
        return Err(error(
            Kind::Argument,
            "set_num_threads: the number of threads must be at least 1",
        ));
    }
    THREADS.store(n.0.min(MAX_THREADS as u64) as usize, Ordering::Relaxed);
    Ok(())
}

/// How many threads the activation functions split large arrays over.
#[pyfunction]
pub fn get_num_threads() -> usize {
    num_threads()
}

/// The parts an array of `n` elements is cut into (one for a short array or one thread): long
/// while much is left, short as it runs out, so that threads claiming them in turn finish together
/// (see [`kernels::parts`]).
fn parts(n: usize) -> Vec<Range<usize>> {
    kernels::parts(n, num_threads())
}

/// `x` cut at `parts`' boundaries (consecutive ranges from 0 to `x.len()`).
fn cut<'a, T>(x: &'a [T], parts: &[Range<usize>]) -> Vec<&'a [T]> {
    parts.iter().map(|r| &x[r.clone()]).collect()
}

/// As [`cut`], for a slice written to.
fn cut_mut<'a, T>(mut x: &'a mut [T], parts: &[Range<usize>]) -> Vec<&'a mut [T]> {
    parts
        .iter()
        .map(|r| {
            let (part, rest) = std::mem::take(&mut x).split_at_mut(r.len());
            x = rest;
            part
        })
        .collect()
}

/// How long a helper keeps looking for the next call's parts before it sleeps. Calls in a loop
/// then find it awake: waking a sleeping thread costs tens to hundreds of microseconds, as much as
/// a part of a large array (the OpenMP runtime under PyTorch spins the same way between its
/// parallel regions).
const SPIN: Duration = Duration::from_micros(500);

/// One call's parts, published to the helpers.
struct Task {
    claims: Arc<Claims>,
    run: RunAddress,
}

/// This process's helper threads and what they watch.
struct Helpers {
    /// The latest call's number and task (`None` once that call has returned); a helper takes
    /// each number at most once.
    task: Mutex<(u64, Option<Task>)>,
    /// The latest call's number, read while spinning, without the lock.
    latest: AtomicU64,
    /// Signalled when a call is published while some helper sleeps.
    wake: Condvar,
    sleeping: AtomicUsize,
}

impl Helpers {
    /// A helper's life: wait for a call (spinning for [`SPIN`], then asleep), take a seat in it
    /// if one is left, claim parts until none is, and wait again.
    fn serve(&self) {
        let mut seen = 0;
        loop {
            let start = Instant::now();
            let mut spins = 0u32;
            while self.latest.load(Ordering::Acquire) == seen {
                spins = spins.wrapping_add(1);
                if spins % 64 == 0 && start.elapsed() > SPIN {
                    let mut guard = lock(&self.task);
                    self.sleeping.fetch_add(1, Ordering::SeqCst);
                    while guard.0 == seen {
                        guard = self.wake.wait(guard).unwrap_or_else(|e| e.into_inner());
                    }
                    self.sleeping.fetch_sub(1, Ordering::SeqCst);
                    break;
                }
                std::hint::spin_loop();
            }
            let task = {
                let guard = lock(&self.task);
                seen = guard.0;
                guard
                    .1
                    .as_ref()
                    .map(|t| (Arc::clone(&t.claims), RunAddress(t.run.get())))
            };
            if let Some((claims, run)) = task {
                if claims.take_seat() {
                    // SAFETY: `in_parts` keeps the runner alive until every part is done, and
                    // `work` touches it only for a part it claims (none once all are done).
                    unsafe { claims.work(run.get()) };
                }
            }
        }
    }

    /// Offers a call's parts to the helpers; returns its number, for [`Helpers::retire`].
    fn publish(&self, task: Task) -> u64 {
        let number = {
            let mut guard = lock(&self.task);
            guard.0 += 1;
            guard.1 = Some(task);
            self.latest.store(guard.0, Ordering::Release);
            guard.0
        };
        // A helper counts itself asleep under the lock before it waits, so one that did so before
        // the publication is seen here, and one after it sees the new number and does not wait.
        if self.sleeping.load(Ordering::SeqCst) > 0 {
            self.wake.notify_all();
        }
        number
    }

    /// Withdraws call `number` once it has returned (a helper that took it already finds no part
    /// left).
    fn retire(&self, number: u64) {
        let mut guard = lock(&self.task);
        if guard.0 == number {
            guard.1 = None;
        }
    }
}

/// This process's helpers, in the process they were started in.
struct Started {
    pid: u32,
    helpers: &'static Helpers,
    /// Threads serving `helpers` so far.
    threads: usize,
    /// The most there may be: one fewer than the processors this process may use (the calling
    /// thread is the other), so that no helper spins on a processor another needs.
    most: usize,
}

static HELPERS: Mutex<Option<Started>> = Mutex::new(None);

/// This process's helpers, with at least `wanted` threads when the processors allow it (they are
/// started as calls first ask for them, so `set_num_threads(2)` on a large machine starts one);
/// `None` when there are none. A child forked after they started has none of their threads, so it
/// starts its own.
fn helpers(wanted: usize) -> Option<&'static Helpers> {
    let pid = std::process::id();
    // `try_lock`: another thread asking at the same moment (or a fork taken while one did, which
    // leaves the lock held forever in the child) means running on this thread, never waiting.
    let mut slot = HELPERS.try_lock().ok()?;
    if slot.as_ref().is_none_or(|started| started.pid != pid) {
        // Leaked on purpose: one per process, alive as long as the module is loaded.
        let helpers: &'static Helpers = Box::leak(Box::new(Helpers {
            task: Mutex::new((0, None)),
            latest: AtomicU64::new(0),
            wake: Condvar::new(),
            sleeping: AtomicUsize::new(0),
        }));
        *slot = Some(Started {
            pid,
            helpers,
            threads: 0,
            most: std::thread::available_parallelism().map_or(1, |n| n.get()) - 1,
        });
    }
    let started = slot.as_mut()?;
    while started.threads < wanted.min(started.most) {
        let helpers = started.helpers;
        let spawned = std::thread::Builder::new()
            .name(format!("relulens-{}", started.threads))
            .spawn(move || helpers.serve());
        if spawned.is_err() {
            // No more threads to be had: stop asking.
            started.most = started.threads;
            break;
        }
        started.threads += 1;
    }
    (started.threads > 0).then_some(started.helpers)
}

/// The counters of one call's parts, shared by the calling thread and the pool's helpers: parts
/// are claimed by counter, so the caller goes on to a part no helper has started (its core busy
/// elsewhere) instead of waiting for it, and a loaded machine costs at most one part in flight.
struct Claims {
    count: usize,
    /// Helpers that may still join (the threads asked for, less the calling one).
    seats: AtomicUsize,
    next: AtomicUsize,
    done: AtomicUsize,
    finished: (Mutex<()>, Condvar),
    /// Whether the calling thread sleeps on `finished` (only then is it signalled: a signal is a
    /// system call, a few microseconds on every call otherwise).
    asleep: AtomicBool,
}

impl Claims {
    /// Whether a helper may join: `seats` counts down to zero.
    fn take_seat(&self) -> bool {
        self.seats
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |s| s.checked_sub(1))
            .is_ok()
    }

    /// Claims and runs parts until none is left.
    ///
    /// # Safety
    ///
    /// `run` must point to a live runner whenever a part is claimed; it is not touched otherwise.
    unsafe fn work(&self, run: *const (dyn Fn(usize) + Sync + '_)) {
        loop {
            let i = self.next.fetch_add(1, Ordering::Relaxed);
            if i >= self.count {
                return;
            }
            // SAFETY: a part was claimed, so the caller guarantees `run` is live.
            unsafe { (*run)(i) };
            // Sequentially consistent, with `asleep` in `wait`: either the waiter sees every part
            // done, or the last finisher sees it asleep (and its lock waits until it is).
            if self.done.fetch_add(1, Ordering::SeqCst) + 1 == self.count
                && self.asleep.load(Ordering::SeqCst)
            {
                let _guard = lock(&self.finished.0);
                self.finished.1.notify_all();
            }
        }
    }

    /// Waits until every part is done: briefly spinning (a helper's part in cache takes
    /// microseconds), then asleep.
    fn wait(&self) {
        for _ in 0..1 << 12 {
            if self.done.load(Ordering::Acquire) == self.count {
                return;
            }
            std::hint::spin_loop();
        }
        let mut guard = lock(&self.finished.0);
        self.asleep.store(true, Ordering::SeqCst);
        while self.done.load(Ordering::SeqCst) < self.count {
            guard = self
                .finished
                .1
                .wait(guard)
                .unwrap_or_else(|e| e.into_inner());
        }
    }
}

/// A lock that a panicking holder did not spoil (the data is a slot or a first error).
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// A part runner's address, with its lifetime erased for a helper (see `in_parts`).
struct RunAddress(*const (dyn Fn(usize) + Sync + 'static));

// SAFETY: the pointee is `Sync`, and `in_parts` keeps it alive while any helper can call it.
unsafe impl Send for RunAddress {}

impl RunAddress {
    fn get(&self) -> *const (dyn Fn(usize) + Sync + 'static) {
        self.0
    }
}

/// Runs `f` on every part, on this thread and on the pool's helpers.
fn in_parts<P: Send>(
    parts: Vec<P>,
    f: &(dyn Fn(P) -> relulens::Result<()> + Sync),
) -> relulens::Result<()> {
    let slots: Vec<Mutex<Option<P>>> = parts.into_iter().map(|p| Mutex::new(Some(p))).collect();
    let failure = Mutex::new(None);
    let panic = Mutex::new(None);
    let run = |i: usize| {
        let part = lock(&slots[i]).take();
        match catch_unwind(AssertUnwindSafe(|| part.map_or(Ok(()), f))) {
            Ok(Ok(())) => {}
            Ok(Err(err)) => {
                lock(&failure).get_or_insert(err);
            }
            Err(payload) => {
                lock(&panic).get_or_insert(payload);
            }
        }
    };
    // Helpers that may join: the threads asked for, less this one, and no more than parts to share.
    let seats = (num_threads() - 1).min(slots.len() - 1);
    let claims = Arc::new(Claims {
        count: slots.len(),
        seats: AtomicUsize::new(seats),
        next: AtomicUsize::new(0),
        done: AtomicUsize::new(0),
        finished: (Mutex::new(()), Condvar::new()),
        asleep: AtomicBool::new(false),
    });
    let run: &(dyn Fn(usize) + Sync + '_) = &run;
    let published = helpers(seats).map(|helpers| {
        // SAFETY: a helper calls `run` only for a part it claimed, and this function returns only
        // after `wait` has seen every part done, so `run` (and what it borrows) outlives every
        // call; a helper that comes later finds no part left and never touches it.
        let address = unsafe {
            std::mem::transmute::<
                *const (dyn Fn(usize) + Sync + '_),
                *const (dyn Fn(usize) + Sync + 'static),
            >(run)
        };
        let task = Task {
            claims: Arc::clone(&claims),
            run: RunAddress(address),
        };
        (helpers, helpers.publish(task))
    });
    // SAFETY: `run` lives on this frame until after `wait`.
    unsafe { claims.work(run) };
    claims.wait();
    if let Some((helpers, number)) = published {
        helpers.retire(number);
    }
    if let Some(payload) = lock(&panic).take() {
        std::panic::resume_unwind(payload);
    }
    let failure = lock(&failure).take();
    failure.map_or(Ok(()), Err)
}

/// How every part of `out` is written: ordinary stores for an array just allocated (`fresh`, see
/// [`Stores::Cached`]), else as one thread would write the whole. Deciding by the whole, not by
/// each part (under the threshold on its own), made ReLU on 10^7 float32 over two threads take
/// 1.26–1.56 ms per call (mostly 1.26–1.32) instead of 1.43–1.51 ms, and its backward 1.17–1.50×
/// PyTorch's speed instead of 1.01–1.10× (`bench/BENCHMARKS.md`).
fn stores<T>(out: &[T], fresh: bool) -> Stores {
    if fresh {
        Stores::Cached
    } else {
        Stores::for_output(std::mem::size_of_val(out))
    }
}

pub(super) fn run_forward<T: FloatElement>(
    act: Activation,
    x: &[T],
    out: &mut [T],
    fresh: bool,
) -> relulens::Result<()> {
    let stores = stores(out, fresh);
    let parts = parts(x.len());
    // Unequal lengths: the kernel's own error, before any cutting.
    if parts.len() == 1 || out.len() != x.len() {
        return kernels::forward_with(act, x, out, stores);
    }
    in_parts(
        cut(x, &parts)
            .into_iter()
            .zip(cut_mut(out, &parts))
            .collect(),
        &|(x, out)| kernels::forward_with(act, x, out, stores),
    )
}

pub(super) fn run_forward_inplace<T: FloatElement>(
    act: Activation,
    x: &mut [T],
) -> relulens::Result<()> {
    let parts = parts(x.len());
    if parts.len() == 1 {
        kernels::forward_inplace(act, x);
        return Ok(());
    }
    in_parts(cut_mut(x, &parts), &|x| {
        kernels::forward_inplace(act, x);
        Ok(())
    })
}

pub(super) fn run_backward<T: FloatElement>(
    act: Activation,
    saved: &[T],
    grad_output: &[T],
    grad_input: &mut [T],
    fresh: bool,
) -> relulens::Result<()> {
    let stores = stores(grad_input, fresh);
    let parts = parts(saved.len());
    if parts.len() == 1 || grad_output.len() != saved.len() || grad_input.len() != saved.len() {
        return kernels::backward_with(act, saved, grad_output, grad_input, stores);
    }
    in_parts(
        cut(saved, &parts)
            .into_iter()
            .zip(cut(grad_output, &parts))
            .zip(cut_mut(grad_input, &parts))
            .collect(),
        &|((s, g), gi)| kernels::backward_with(act, s, g, gi, stores),
    )
}

pub(super) fn run_backward_inplace<T: FloatElement>(
    act: Activation,
    saved: &[T],
    grad: &mut [T],
) -> relulens::Result<()> {
    let parts = parts(saved.len());
    if parts.len() == 1 || grad.len() != saved.len() {
        return kernels::backward_inplace(act, saved, grad);
    }
    in_parts(
        cut(saved, &parts)
            .into_iter()
            .zip(cut_mut(grad, &parts))
            .collect(),
        &|(s, g)| kernels::backward_inplace(act, s, g),
    )
}

/// Runs a kernel over `n` elements, without the GIL when `n` is large, and maps its error.
pub(super) fn run<F>(py: Python<'_>, n: usize, kernel: F) -> PyResult<()>
where
    F: FnOnce() -> relulens::Result<()> + Send,
{
    if n >= DETACH_MIN {
        py.detach(kernel).py_err()
    } else {
        kernel().py_err()
    }
}
