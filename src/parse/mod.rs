//! Reading the audit text format: lines -> records -> fields, and records -> events.

pub mod assemble;
pub mod decode;
pub mod fields;
pub mod in_memory;
pub mod journal;
pub mod record;

pub use assemble::{
    AssembleOptions, AssembleStats, Assembler, Event, EventRecord, EventSink, TakeEvents,
};
pub use fields::{Field, Fields, Quote, Scope};
pub use in_memory::{each_event, each_event_of_lines, events_of};
pub use record::{parse_record, NodeSource, Record, Reject};
pub mod quality;
pub mod reader;

pub use quality::InputQuality;
pub use reader::{read_events, read_events_parallel, ReadOptions};
