//! Photos of requests: uploaded one at a time before the request that cites them, as the image's
//! raw bytes, then served to anyone who holds the id. An `<img>` sends no bearer header, so the
//! id (128 random bits) is the capability, as the core's [`PhotoId`] says.
//!
//! An upload passes, in this order: the sign-in and the per-minute rate ([`admit`], a layer
//! outside the idempotency guard, so before a byte of the body is read), the day's quota (still
//! before the body), the body's type and size, the image's size in pixels from its header alone,
//! the metadata cut out ([`crate::image_meta`]), and the quota again in the write transaction
//! that keeps it.

use super::transact;
use crate::AppState;
use crate::http::auth::SignedIn;
use crate::http::error::ApiError;
use crate::http::json;
use crate::http::limits::PerPerson;
use crate::image_meta;
use crate::store::photos as store;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Path, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use citizen_core::api::ErrorBody;
use citizen_core::ids::MemberId;
use citizen_core::requests::{
    MAX_PHOTO_BYTES, PHOTO_UPLOAD_WINDOW_SECS, PHOTO_UPLOADS_PER_MINUTE, PhotoId, PhotoKind,
    PhotoRefusal, PhotoUploaded, check_dimensions, check_quota,
};
use citizen_core::throttle::RetryAfter;
use utoipa_axum::{router::OpenApiRouter, routes};

/// The body limit of the upload: a whole photo, far above the 64 KiB of the JSON routes.
pub const BODY_LIMIT: usize = MAX_PHOTO_BYTES;

/// A photo is never edited in place (a new one gets a new id), so a browser may keep it for
/// ever; `private`: no shared cache (a proxy, a CDN) keeps a resident's photo.
pub const CACHE_CONTROL: &str = "private, max-age=31536000, immutable";

/// Upload attempts per person per minute (kept in the database, as every limit: `http::limits`).
pub struct UploadLimits {
    per_person: PerPerson,
}

impl Default for UploadLimits {
    fn default() -> Self {
        UploadLimits {
            per_person: PerPerson::new(
                "photo_upload",
                PHOTO_UPLOADS_PER_MINUTE,
                PHOTO_UPLOAD_WINDOW_SECS,
            ),
        }
    }
}

impl UploadLimits {
    /// Counts an attempt by `person`, or refuses it when the minute's attempts are used up.
    pub async fn admit(
        &self,
        state: &AppState,
        person: MemberId,
        now: i64,
    ) -> Result<(), ApiError> {
        self.per_person
            .admit(state, person, now)
            .await?
            .map_err(|RetryAfter(retry_after)| {
                ApiError::Photo(PhotoRefusal::TooFast { retry_after })
            })
    }
}

/// The layer in front of `POST /photos`: who uploads, and whether they may now. It runs before
/// the idempotency guard and the handler read the body, so a refused burst costs no upload.
pub async fn admit(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if request.method() != Method::POST {
        return next.run(request).await;
    }
    let (mut parts, body) = request.into_parts();
    let who = match SignedIn::from_request_parts(&mut parts, &state).await {
        Ok(who) => who,
        Err(e) => return e.into_response(),
    };
    if let Err(refused) = state
        .photo_uploads
        .admit(&state, who.person.id, state.clock.now())
        .await
    {
        return refused.into_response();
    }
    next.run(Request::from_parts(parts, body)).await
}

/// The image's bytes, as they are.
#[derive(utoipa::ToSchema)]
#[schema(value_type = String, format = Binary)]
#[allow(dead_code)]
struct ImageBytes(Vec<u8>);

fn empty_photo() -> ApiError {
    ApiError::Malformed {
        field: Some("photo".to_owned()),
        message: "photo: the body is empty; send the image's bytes".to_owned(),
    }
}

/// The body, once its type is checked: the header names one of the kinds kept (else 415, before
/// reading a byte), and the bytes are that kind by their signature (else 422), so that what is
/// served later as `image/png` is a PNG and nothing a browser could run.
async fn photo_body(request: Request) -> Result<(PhotoKind, Bytes), ApiError> {
    let claimed = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(PhotoKind::from_content_type)
        .ok_or(ApiError::UnsupportedPhotoType)?;
    let bytes = Bytes::from_request(request, &())
        .await
        .map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::PhotoTooLarge(BODY_LIMIT)
            } else {
                ApiError::Malformed {
                    field: Some("photo".to_owned()),
                    message: format!("photo: {}", rejection.body_text()),
                }
            }
        })?;
    if bytes.is_empty() {
        return Err(empty_photo());
    }
    match PhotoKind::sniff(&bytes) {
        Some(kind) if kind == claimed => Ok((kind, bytes)),
        Some(kind) => Err(ApiError::invalid(
            "photo",
            format!(
                "the bytes are {}, not the {} the Content-Type says",
                kind.content_type(),
                claimed.content_type()
            ),
        )),
        None => Err(ApiError::invalid(
            "photo",
            "the bytes are not a JPEG, PNG or WebP image",
        )),
    }
}

/// The bytes to keep: the image's size read from its header (no pixel decoded) and checked,
/// then its metadata cut out.
fn prepare(kind: PhotoKind, bytes: Bytes) -> Result<Vec<u8>, ApiError> {
    let (width, height) =
        image_meta::dimensions(&bytes).map_err(|e| ApiError::invalid("photo", e))?;
    check_dimensions(width, height).map_err(ApiError::Photo)?;
    image_meta::strip(kind, bytes).map_err(|e| ApiError::invalid("photo", e))
}

fn new_id() -> Result<PhotoId, ApiError> {
    let mut random = [0u8; 16];
    getrandom::fill(&mut random).map_err(|e| ApiError::Internal(format!("no randomness: {e}")))?;
    Ok(PhotoId::from_random(random))
}

/// Upload a photo for a request to come: the image's bytes as the body. Cite the id it gets in
/// `photos` when filing the request; a photo no request cites is deleted after 24 hours.
#[utoipa::path(
    post, path = "/photos", tag = "requests", security(("bearer" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = "A retried upload keeps one photo")),
    request_body(
        description = "The image's bytes, at most 3 MiB and 8,000 px on a side (the app shrinks \
            photos to 1600 px first). EXIF (with its GPS position), XMP, IPTC and comments are \
            removed before the photo is kept; the pixels are kept as they are.",
        content(
            (inline(ImageBytes) = "image/jpeg"),
            (inline(ImageBytes) = "image/png"),
            (inline(ImageBytes) = "image/webp"),
        ),
    ),
    responses(
        (status = 201, description = "Kept, without its metadata; its address is `photos/{id}`", body = PhotoUploaded),
        (status = 400, description = "An empty body (`photo`)", body = ErrorBody),
        (status = 401, description = "No valid sign-in", body = ErrorBody),
        (status = 413, description = "Larger than 3 MiB (`photo`)", body = ErrorBody),
        (status = 415, description = "Not image/jpeg, image/png or image/webp (`photo`)", body = ErrorBody),
        (status = 422, description = "The bytes are not the image type the Content-Type names, \
            or their header or structure cannot be read (`invalid_field`), or a side is over \
            8,000 px (`photo_too_many_pixels`, read from the header: no pixel is decoded); field `photo`", body = ErrorBody),
        (status = 429, description = "Over a limit, field `photo`: 20 uploads a minute \
            (`photo_rate_limited`, counted before the body is read), 60 photos \
            (`photo_quota_count`) or 100 MiB (`photo_quota_bytes`) in the last 24 hours", body = ErrorBody,
            headers(("Retry-After" = i64, description = "Seconds until the upload may succeed"))),
    )
)]
async fn upload(
    State(state): State<AppState>,
    who: SignedIn,
    request: Request,
) -> Result<Response, ApiError> {
    let owner = who.person.id;
    // A day's quota already used up is refused before the body is read.
    let now = state.clock.now();
    let past = transact::read(&state, move |conn| {
        store::recent_uploads(conn, owner, now).map_err(ApiError::from)
    })
    .await?;
    check_quota(&past, 1, now).map_err(ApiError::Photo)?;

    let (kind, bytes) = photo_body(request).await?;
    let kept = tokio::task::spawn_blocking(move || prepare(kind, bytes))
        .await
        .map_err(|e| ApiError::Internal(format!("preparing a photo stopped: {e}")))??;
    let id = new_id()?;
    let size = kept.len() as u64;
    let now = state.clock.now();
    // With a photo store, the object first: a row always has its bytes (`store::photo_objects`).
    let in_store = match &state.photo_objects {
        Some(objects) => {
            objects.put(&id, kept).await.map_err(|e| {
                ApiError::Internal(format!("the photo store did not keep photo {id}: {e}"))
            })?;
            None
        }
        None => Some(kept),
    };
    let row = {
        let id = id.clone();
        transact::write(&state, move |conn| {
            let kept = match &in_store {
                Some(bytes) => store::Kept::InRow(bytes),
                None => store::Kept::InStore { size },
            };
            store::insert_within_quota(conn, &id, owner, kind, kept, now)?.map_err(ApiError::Photo)
        })
        .await
    };
    if let (Err(_), Some(objects)) = (&row, &state.photo_objects) {
        objects.delete_all(std::slice::from_ref(&id)).await;
    }
    row?;
    tracing::info!(photo = %id, size, "photo kept");
    let location = format!("photos/{id}");
    let body = PhotoUploaded {
        id,
        content_type: kind.content_type().to_owned(),
        bytes: size,
    };
    Ok(json::created(location, body))
}

/// A photo's bytes, for anyone who has its id: no sign-in, so that `<img src>` works.
#[utoipa::path(
    get, path = "/photos/{id}", tag = "requests",
    params(("id" = PhotoId, Path, description = "The photo's id: 32 lowercase hex digits")),
    responses(
        (status = 200, description = "The image, as kept (without its metadata); cacheable for ever by the browser only",
            content(
            (inline(ImageBytes) = "image/jpeg"),
            (inline(ImageBytes) = "image/png"),
            (inline(ImageBytes) = "image/webp"),
        ),
            headers(
                ("Cache-Control" = String, description = "private, max-age=31536000, immutable"),
                ("X-Content-Type-Options" = String, description = "nosniff"),
                ("Content-Disposition" = String, description = "inline"),
            )),
        (status = 404, description = "No such photo", body = ErrorBody),
    )
)]
async fn photo(
    State(state): State<AppState>,
    Path(raw): Path<String>,
) -> Result<Response, ApiError> {
    let not_found = || ApiError::NotFound(format!("photo {raw}"));
    let id = PhotoId::parse(&raw).map_err(|_| not_found())?;
    let stored = {
        let id = id.clone();
        transact::read(&state, move |conn| Ok(store::by_id(conn, &id)?))
            .await?
            .ok_or_else(not_found)?
    };
    let bytes = match (stored.bytes, &state.photo_objects) {
        (Some(bytes), _) => bytes::Bytes::from(bytes),
        (None, Some(objects)) => objects
            .get(&id)
            .await
            .map_err(|e| {
                ApiError::Internal(format!("the photo store did not give photo {id}: {e}"))
            })?
            .ok_or_else(|| {
                ApiError::Internal(format!(
                    "photo {id} has a row but no object in the photo store"
                ))
            })?,
        (None, None) => {
            return Err(ApiError::Internal(format!(
                "photo {id} is in a photo store, and this server has none (--photos)"
            )));
        }
    };
    let content_type = HeaderValue::from_str(&stored.content_type)
        .map_err(|_| ApiError::Internal(format!("photo {raw} has a bad content type")))?;
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static(CACHE_CONTROL),
            ),
            // The type is the one checked at upload; browsers must not guess another.
            (
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_static("inline"),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// The routes; `http::router` gives them their own body limit ([`BODY_LIMIT`]).
/// `POST /photos`: the upload (`http/mod.rs` puts [`admit`] and the idempotency guard in front).
pub fn upload_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(upload))
}

/// `GET /photos/{id}`: a stored photo.
pub fn served_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(photo))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;

    fn upload_of(content_type: Option<&str>, body: &'static [u8]) -> Request {
        let mut builder = axum::http::Request::post("/photos");
        if let Some(ct) = content_type {
            builder = builder.header(header::CONTENT_TYPE, ct);
        }
        builder.body(Body::from(body)).unwrap()
    }

    #[tokio::test]
    async fn the_header_and_the_bytes_must_agree() {
        let jpeg: &'static [u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10];
        let (kind, bytes) = photo_body(upload_of(Some("image/jpeg"), jpeg))
            .await
            .unwrap();
        assert_eq!((kind, bytes.as_ref()), (PhotoKind::Jpeg, jpeg));
        for (content_type, body, status) in [
            (None, jpeg, 415),
            (Some("image/gif"), jpeg, 415),
            (Some("image/png"), jpeg, 422),
            (Some("image/jpeg"), b"<svg onload=alert(1)>".as_slice(), 422),
            (Some("image/jpeg"), b"".as_slice(), 400),
        ] {
            let error = photo_body(upload_of(content_type, body)).await.unwrap_err();
            assert_eq!(error.status().as_u16(), status, "{content_type:?}");
        }
    }
}
