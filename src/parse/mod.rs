//! Stage 2, parse: front matter (YAML) into typed fields, Markdown into HTML (with code
//! highlighted), and each file into a story or page with its permalink. Pure: text in, values
//! and diagnostics out. Imports `util`, `diagnostic`, `site` and `source`.

mod bidi;
pub mod front_matter;
pub mod highlight;
mod html_repair;
pub mod markdown;
pub mod schema;
pub mod story;
pub(crate) mod yaml_traps;
