//! Output for people and programs. Renderers receive plain values and return bytes or
//! text; they never read logs themselves.

pub mod terminal;
