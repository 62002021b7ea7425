//! A resident's own lists: favourite tiles and recently used tiles.

use crate::ids::TileId;
use serde::{Deserialize, Serialize};

/// Favourite tiles, most recently added first, no repeats.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Favourites(Vec<TileId>);

impl Favourites {
    pub fn contains(&self, id: &TileId) -> bool {
        self.0.contains(id)
    }

    /// Adds the tile if absent, removes it if present; returns whether it is now a favourite.
    pub fn toggle(&mut self, id: &TileId) -> bool {
        if let Some(pos) = self.0.iter().position(|f| f == id) {
            self.0.remove(pos);
            false
        } else {
            self.0.insert(0, id.clone());
            true
        }
    }

    pub fn ids(&self) -> &[TileId] {
        &self.0
    }
}

/// The last tiles opened, newest first, no repeats, at most [`RecentlyUsed::CAPACITY`].
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RecentlyUsed(Vec<TileId>);

impl RecentlyUsed {
    pub const CAPACITY: usize = 8;

    pub fn record(&mut self, id: &TileId) {
        self.0.retain(|r| r != id);
        self.0.insert(0, id.clone());
        self.0.truncate(Self::CAPACITY);
    }

    pub fn ids(&self) -> &[TileId] {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn id(n: u8) -> TileId {
        TileId::parse(&format!("tile-{n}")).unwrap()
    }

    #[test]
    fn toggling_twice_restores() {
        let mut f = Favourites::default();
        assert!(f.toggle(&id(1)));
        assert!(f.contains(&id(1)));
        assert!(!f.toggle(&id(1)));
        assert_eq!(f, Favourites::default());
    }

    #[test]
    fn newest_favourite_comes_first() {
        let mut f = Favourites::default();
        f.toggle(&id(1));
        f.toggle(&id(2));
        assert_eq!(f.ids(), &[id(2), id(1)]);
    }

    proptest! {
        #[test]
        fn recents_are_capped_unique_and_newest_first(opened in proptest::collection::vec(0u8..20, 0..60)) {
            let mut r = RecentlyUsed::default();
            for n in &opened {
                r.record(&id(*n));
            }
            prop_assert!(r.ids().len() <= RecentlyUsed::CAPACITY);
            let mut unique = r.ids().to_vec();
            unique.sort();
            unique.dedup();
            prop_assert_eq!(unique.len(), r.ids().len());
            if let Some(last) = opened.last() {
                prop_assert_eq!(&r.ids()[0], &id(*last));
            }
        }
    }
}
