//! Whole numbers with bounds: newtypes over `u32` that travel as plain numbers and can only be
//! built inside their range.

/// Declares a newtype over `u32` that holds only values in `range`, with its error type.
///
/// The type is `Copy` and ordered, (de)serialises as a bare `u32` (deserialising checks the
/// range) and, with the `openapi` feature, has a schema: an integer with the range's bounds,
/// described by its doc comment.
/// It gets `new` (checks the range), `TryFrom<u32>` and `From<_> for u32`; `get: get;` adds
/// `pub fn get(self) -> u32`. The error is a tuple struct holding the rejected number, shown as
/// `message` (a format string in which `{0}` is that number).
///
/// ```ignore
/// bounded_u32! {
///     /// An amount of points: 1 to 1,000,000.
///     pub struct Points(u32);
///     range: 1..=MAX_POINTS;
///     error: PointsAmountError("an amount of points is 1 to {MAX_POINTS}, got {0}");
///     get: get;
/// }
/// ```
macro_rules! bounded_u32 {
    (
        $(#[doc = $doc:literal])*
        $vis:vis struct $name:ident(u32);
        range: $range:expr;
        error: $error:ident($message:tt);
        $(get: $get:ident;)?
    ) => {
        $(#[doc = $doc])*
        #[derive(
            Debug,
            Clone,
            Copy,
            PartialEq,
            Eq,
            Hash,
            PartialOrd,
            Ord,
            ::serde::Serialize,
            ::serde::Deserialize,
        )]
        #[serde(try_from = "u32", into = "u32")]
        $vis struct $name(u32);

        #[cfg(feature = "openapi")]
        impl ::utoipa::PartialSchema for $name {
            fn schema() -> ::utoipa::openapi::RefOr<::utoipa::openapi::schema::Schema> {
                use ::utoipa::openapi::schema::{ObjectBuilder, Type};
                let range: ::std::ops::RangeInclusive<u32> = $range;
                let description = [$($doc),*]
                    .iter()
                    .map(|line| line.trim())
                    .collect::<Vec<_>>()
                    .join(" ");
                ObjectBuilder::new()
                    .schema_type(Type::Integer)
                    .minimum(Some(*range.start()))
                    .maximum(Some(*range.end()))
                    .description(Some(description))
                    .into()
            }
        }

        #[cfg(feature = "openapi")]
        impl ::utoipa::ToSchema for $name {}

        #[derive(Debug, Clone, PartialEq, Eq, ::thiserror::Error)]
        #[error($message)]
        $vis struct $error(pub u32);

        impl $name {
            pub fn new(n: u32) -> Result<$name, $error> {
                if ($range).contains(&n) {
                    Ok($name(n))
                } else {
                    Err($error(n))
                }
            }

            $(
                pub fn $get(self) -> u32 {
                    self.0
                }
            )?
        }

        impl TryFrom<u32> for $name {
            type Error = $error;
            fn try_from(n: u32) -> Result<Self, $error> {
                $name::new(n)
            }
        }

        impl From<$name> for u32 {
            fn from(value: $name) -> u32 {
                value.0
            }
        }
    };
}

pub(crate) use bounded_u32;
