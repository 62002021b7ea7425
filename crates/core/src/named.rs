//! Unit enums written in JSON as a name (`"id-card"`), read and written through one table each
//! instead of serde's derive: the derived enum reader (which also takes `{"id-card": null}` and
//! the like) weighed about 1 KB gzip in the app's first load for the catalog's two such enums.
//! An unknown name is refused with the known ones listed, as serde's own error does.

use serde::{Deserialize, Deserializer, Serializer, de};

/// A unit enum and the name each value is written as.
pub trait Named: Sized + Copy + PartialEq + 'static {
    /// What the names are of, for the error (`"icon"`).
    const WHAT: &'static str;
    /// Every value with its name.
    const TABLE: &'static [(Self, &'static str)];

    fn name(self) -> &'static str {
        Self::TABLE
            .iter()
            .find(|(value, _)| *value == self)
            .map_or("", |(_, name)| name)
    }
}

pub fn write<T: Named, S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(value.name())
}

pub fn read<'de, T: Named, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    let name = String::deserialize(deserializer)?;
    T::TABLE
        .iter()
        .find(|(_, known)| *known == name)
        .map(|(value, _)| *value)
        .ok_or_else(|| {
            let known: Vec<&str> = T::TABLE.iter().map(|(_, n)| *n).collect();
            de::Error::custom(format!(
                "unknown {} `{name}`, expected one of {}",
                T::WHAT,
                known.join(", ")
            ))
        })
}

/// `Serialize` and `Deserialize` for a [`Named`] enum.
#[macro_export]
macro_rules! named_serde {
    ($t:ty) => {
        impl serde::Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                $crate::named::write(self, s)
            }
        }
        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                $crate::named::read(d)
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use crate::Lang;
    use crate::account::Role;
    use crate::catalog::ServiceIcon;

    #[test]
    fn names_round_trip_and_an_unknown_one_lists_the_known() {
        assert_eq!(serde_json::to_string(&Lang::ZhCn).unwrap(), r#""zh-CN""#);
        assert_eq!(
            serde_json::from_str::<Role>(r#""staff""#).unwrap(),
            Role::Staff
        );
        let refused = serde_json::from_str::<ServiceIcon>(r#""id_card""#).unwrap_err();
        let said = refused.to_string();
        assert!(said.contains("unknown icon `id_card`"), "{said}");
        assert!(said.contains("id-card"), "{said}");
        // The derive's other forms are not names.
        assert!(serde_json::from_str::<Role>(r#"{"staff": null}"#).is_err());
    }
}
