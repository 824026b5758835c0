//! Dateline: a static site generator for news outlets.
//!
//! A build flows through visible stages over a pure in-memory model:
//! [`load`] reads files, [`story`] and [`front_matter`] parse them, [`newsroom`] groups and
//! links them and renders their [`markdown`], [`render`] runs the [`theme`]'s templates into
//! [`output::Outputs`], and [`write`] publishes those atomically. [`build::run`] drives the first
//! three; the commands in [`cmd`] decide what to do with the result.
#![forbid(unsafe_code)]

pub mod absolute_links;
pub mod background;
pub mod build;
pub mod cmd;
pub mod config;
pub mod diagnostic;
pub mod feed;
pub mod front_matter;
pub mod highlight;
pub mod load;
pub mod markdown;
pub mod newsroom;
pub mod newsroom_style;
pub mod output;
pub mod permalink;
pub mod photo;
pub mod picture;
pub mod redirect;
pub mod render;
pub mod serve;
pub mod sitemap;
pub mod slug;
pub mod story;
pub mod structured_data;
pub mod theme;
pub mod url;
pub mod write;
