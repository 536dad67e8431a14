//! For the tests that check a step is linear in its input: the fastest of several runs of
//! a small and a large input, alternated so that a busy machine slows both alike.

/// The fastest time, in seconds, of `rounds` runs each of `run(small)` and `run(large)`,
/// alternated; `run` returns the time of the part it measures.
pub fn fastest_pair(
    rounds: usize,
    small: u64,
    large: u64,
    mut run: impl FnMut(u64) -> f64,
) -> (f64, f64) {
    let (mut s, mut l) = (f64::MAX, f64::MAX);
    for _ in 0..rounds {
        s = s.min(run(small));
        l = l.min(run(large));
    }
    (s, l)
}
