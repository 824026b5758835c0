//! The newsroom workflow end to end, through the real binary: starting a site, writing a story,
//! checking it, scheduling, corrections, redirects, the CI example, and the wording of every
//! error a user's file can cause.

mod check;
mod ci;
mod corrections;
mod error_table;
mod harness;
mod init;
mod new;
mod publishing;
mod redirects;
