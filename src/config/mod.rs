//! Runtime configuration: `config.json` next to the bundle, then the resident's saved
//! preferences, then the URL overrides this tab has kept (`tab.rs` says which wins when).

mod load;
mod preferences;
mod tab;

pub use load::{ConfigLoadError, finish_config, load_config, query_pairs};
pub use preferences::Preferences;
pub use tab::TabOverrides;
