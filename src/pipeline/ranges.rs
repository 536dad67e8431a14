//! Summaries read on every core: each byte range of the inputs gets its own aggregators
//! (`parse::reader::read_ranges`), whose summaries merge in input order. A merge equals one
//! read only while no map reached its limit (which keys are kept past one depends on the
//! order keys arrive in) and the denials kept across signatures stayed below theirs
//! (`Summary::merges_exactly`), so a merged summary past one is dropped and the caller
//! reads the input again in one pass. The ranges' lists share their room
//! (`aggregate::room`): a later range keeps only the facts the merge will take of it.

use crate::aggregate::room::{seated, Board, Seat};
use crate::aggregate::{Aggregator, Summary};
use crate::input::InputSet;
use crate::parse::reader::{read_ranges, Progress};
use crate::parse::{InputQuality, ReadOptions};
use crate::period::Period;

/// The summaries of `periods` and the input quality read in parallel byte ranges, or
/// `None` when the inputs are not read that way or the parts do not merge exactly.
pub(super) fn summarize_ranges(
    inputs: &InputSet,
    read: &ReadOptions,
    periods: &[Period],
    make: impl Fn(Period) -> Aggregator + Sync,
    progress: Progress<'_>,
) -> anyhow::Result<Option<(Vec<Summary>, InputQuality)>> {
    // Each range's lists keep only what the merge can take of them (`aggregate::room`).
    let board = std::sync::OnceLock::new();
    let Some((quality, parts)) = read_ranges(
        inputs,
        read,
        |range, ranges| {
            let board = board.get_or_init(|| Board::new(ranges));
            seated(Seat::new(board.clone(), range), || {
                periods.iter().map(|p| make(p.clone())).collect::<Vec<_>>()
            })
        },
        |aggs, ev| {
            for agg in aggs.iter_mut() {
                agg.add_event(ev);
            }
        },
        progress,
    )?
    else {
        return Ok(None);
    };
    let mut merged: Option<Vec<Summary>> = None;
    for part in parts {
        let part = part.into_iter().map(Aggregator::into_summary);
        match &mut merged {
            None => merged = Some(part.collect()),
            Some(whole) => {
                for (whole, part) in whole.iter_mut().zip(part) {
                    whole.merge(&part);
                }
            }
        }
    }
    let Some(summaries) = merged else {
        return Ok(None);
    };
    if !summaries.iter().all(Summary::merges_exactly) {
        return Ok(None);
    }
    Ok(Some((summaries, quality)))
}
