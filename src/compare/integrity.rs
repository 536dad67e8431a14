//! F-AUD-11's check, moved to [`crate::integrity`] so the finding rules can use it too;
//! re-exported here for `compare --baseline-manifest`.

pub use crate::integrity::*;
