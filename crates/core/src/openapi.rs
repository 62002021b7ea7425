//! Schemas for the server's OpenAPI document (feature `openapi`; the browser leaves it out).
//! Plain structs derive theirs; newtypes that travel as strings, and types whose JSON form is a
//! conversion struct, describe themselves here so the document matches what is on the wire.

use std::borrow::Cow;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::{RefOr, SchemaFormat};
use utoipa::{PartialSchema, ToSchema};

use crate::account::{NewPassword, TypedPassword};
use crate::catalog::{Neighbourhood, ServicePoint, TileTarget};
use crate::catalog::{PlacedNeighbourhood, PlacedServicePoint, TaggedTarget};
use crate::ids::{CategoryId, MemberId, NeighbourhoodId, ProviderId, ServicePointId, TileId};
use crate::phone::MobileNumber;
use crate::requests::{CATEGORIES, CategoryCode, PhotoId};
use crate::sms::SmsCode;

fn string(
    description: &str,
    pattern: Option<&str>,
    format: Option<&str>,
    length: (usize, usize),
) -> RefOr<Schema> {
    let mut builder = ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some(description))
        .min_length(Some(length.0))
        .max_length(Some(length.1));
    if let Some(pattern) = pattern {
        builder = builder.pattern(Some(pattern));
    }
    if let Some(format) = format {
        builder = builder.format(Some(SchemaFormat::Custom(format.to_owned())));
    }
    RefOr::T(Schema::Object(builder.build()))
}

macro_rules! string_schema {
    ($($ty:ty => $description:expr, $pattern:expr, $format:expr, $length:expr;)*) => {$(
        impl PartialSchema for $ty {
            fn schema() -> RefOr<Schema> {
                string($description, $pattern, $format, $length)
            }
        }
        impl ToSchema for $ty {}
    )*};
}

// `phone::MobileNumber` as it travels (the app sends the 11 digits; the server also reads a typed
// `+86`, spaces and hyphens, which the document leaves unsaid).
const MOBILE: Option<&str> = Some("^1[3-9][0-9]{9}$");
// `requests::PhotoId::parse`.
const PHOTO_ID: Option<&str> = Some("^[0-9a-f]{32}$");
// The rules of `ids::check_slug`, for readers of the document.
const SLUG: Option<&str> = Some("^[a-z0-9]+(-[a-z0-9]+)*$");
const SLUG_LENGTH: (usize, usize) = (2, 48);

string_schema! {
    TileId => "A tile's id", SLUG, None, SLUG_LENGTH;
    CategoryId => "A category's id", SLUG, None, SLUG_LENGTH;
    ProviderId => "A provider's id", SLUG, None, SLUG_LENGTH;
    ServicePointId => "A service point's id", SLUG, None, SLUG_LENGTH;
    NeighbourhoodId => "A neighbourhood's id", SLUG, None, SLUG_LENGTH;
    MobileNumber => "A mainland mobile number: 11 digits starting 13–19", MOBILE, None, (11, 11);
    PhotoId => "A photo's id: 32 lowercase hex digits", PHOTO_ID, None, (32, 32);
    TypedPassword => "The password as typed", None, Some("password"), (1, 512);
    // `\D`: somewhere a character that is not a digit (JSON Schema patterns are not anchored).
    NewPassword => "A new password: 8–128 characters, not only digits", Some("\\D"), Some("password"), (8, 128);
    SmsCode => "The 6-digit code sent by SMS", Some("^[0-9]{6}$"), None, (6, 6);
}

/// A person's id: the bare number (fields of this type usually say `value_type = i64`; an enum's
/// tuple variant cannot, and inlines this).
impl PartialSchema for MemberId {
    fn schema() -> RefOr<Schema> {
        i64::schema()
    }
}
impl ToSchema for MemberId {}

/// A request's category: one of the codes of `requests::CATEGORIES`.
impl PartialSchema for CategoryCode {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some("A request category's code"))
            .enum_values(Some(CATEGORIES.iter().map(|c| c.code.as_str())))
            .into()
    }
}
impl ToSchema for CategoryCode {}

/// Types whose JSON form is a conversion struct borrow that struct's schema, under their own name.
macro_rules! schema_as {
    ($($ty:ident => $form:ty;)*) => {$(
        impl PartialSchema for $ty {
            fn schema() -> RefOr<Schema> {
                <$form as PartialSchema>::schema()
            }
        }
        impl ToSchema for $ty {
            fn name() -> Cow<'static, str> {
                Cow::Borrowed(stringify!($ty))
            }
            fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
                <$form as ToSchema>::schemas(schemas)
            }
        }
    )*};
}

schema_as! {
    ServicePoint => PlacedServicePoint;
    Neighbourhood => PlacedNeighbourhood;
    TileTarget => TaggedTarget;
}
