//! The site: its configuration (`site.toml`), and the one owner of every URL: routes,
//! permalinks, slugs and the rules for links. Imports only `util` and `diagnostic`.

pub mod absolute_links;
pub mod config;
pub mod permalink;
pub mod routes;
pub mod slug;
pub mod url;
