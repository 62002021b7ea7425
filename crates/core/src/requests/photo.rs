//! Photos attached to a request: the browser shrinks them (longest side ≤ 1600 px, JPEG) before
//! upload; the server keeps them under an unguessable id after checking their size and that the
//! bytes are the image type they claim to be.

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// At most nine photos per request (one phone screen of thumbnails, as in 12345 apps).
pub const MAX_PHOTOS: usize = 9;
/// The longest side, in pixels, the browser shrinks a photo to.
pub const MAX_PHOTO_SIDE: u32 = 1600;
/// The largest upload the server keeps. A 1600 px JPEG at the app's quality is 150–600 KB; 3 MiB
/// leaves room for a PNG screenshot.
pub const MAX_PHOTO_BYTES: usize = 3 * 1024 * 1024;

/// The longest side, in pixels, of an image the server keeps. A larger one is refused from its
/// header alone, before a pixel is decoded (a 3 MiB PNG can claim 50,000 × 50,000 px, 10 GB of
/// pixels to whoever decodes it).
pub const MAX_IMAGE_SIDE: u32 = 8_000;

/// The per-person quota is counted over a rolling window of this many seconds (24 hours back from
/// now, not a calendar day: no time zone, and no burst at midnight).
pub const PHOTO_QUOTA_WINDOW_SECS: i64 = 24 * 60 * 60;
/// Photos one person may upload in [`PHOTO_QUOTA_WINDOW_SECS`]: a request holds nine, so this
/// is more than six requests with every photo a day.
pub const MAX_PHOTOS_PER_DAY: usize = 60;
/// Bytes one person may upload in [`PHOTO_QUOTA_WINDOW_SECS`] (as kept, once metadata is cut).
pub const MAX_PHOTO_BYTES_PER_DAY: u64 = 100 * 1024 * 1024;

/// Upload attempts one person may make per [`PHOTO_UPLOAD_WINDOW_SECS`], counted before the
/// body is read: a request's nine photos twice over (a retry after a dropped connection), and
/// then some.
pub const PHOTO_UPLOADS_PER_MINUTE: u32 = 20;
pub const PHOTO_UPLOAD_WINDOW_SECS: i64 = 60;

/// An uploaded photo that no request cites is deleted this long after its upload: the app files
/// the request right after its photos, so a day is plenty for a retry.
pub const ORPHAN_PHOTO_SECS: i64 = 24 * 60 * 60;

/// Why an upload was refused by the rules above, as one code every backend sends and the app
/// words: the server puts [`PhotoRefusal::code`] in its error body (field `photo`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum PhotoRefusal {
    /// [`MAX_PHOTOS_PER_DAY`] uploads in the last 24 hours; a slot frees in `retry_after` s.
    #[error(
        "photo: at most {MAX_PHOTOS_PER_DAY} photos may be uploaded in 24 hours; try again in {retry_after} seconds"
    )]
    DailyPhotos { retry_after: i64 },
    /// [`MAX_PHOTO_BYTES_PER_DAY`] uploaded in the last 24 hours.
    #[error(
        "photo: at most 100 MiB of photos may be uploaded in 24 hours; try again in {retry_after} seconds"
    )]
    DailyBytes { retry_after: i64 },
    /// More than [`PHOTO_UPLOADS_PER_MINUTE`] attempts in a minute.
    #[error(
        "photo: at most {PHOTO_UPLOADS_PER_MINUTE} uploads a minute; try again in {retry_after} seconds"
    )]
    TooFast { retry_after: i64 },
    /// A side longer than [`MAX_IMAGE_SIDE`].
    #[error(
        "photo: the image is {width} × {height} pixels; at most {MAX_IMAGE_SIDE} on a side (shrink it first)"
    )]
    TooManyPixels { width: u32, height: u32 },
}

/// A [`PhotoRefusal`] without its figures: what the app reads back from an error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PhotoLimit {
    DailyPhotos,
    DailyBytes,
    TooFast,
    TooManyPixels,
}

impl PhotoLimit {
    pub const ALL: [PhotoLimit; 4] = [
        PhotoLimit::DailyPhotos,
        PhotoLimit::DailyBytes,
        PhotoLimit::TooFast,
        PhotoLimit::TooManyPixels,
    ];

    /// The error code in an API error body.
    pub fn code(self) -> &'static str {
        match self {
            PhotoLimit::DailyPhotos => "photo_quota_count",
            PhotoLimit::DailyBytes => "photo_quota_bytes",
            PhotoLimit::TooFast => "photo_rate_limited",
            PhotoLimit::TooManyPixels => "photo_too_many_pixels",
        }
    }

    pub fn from_code(code: &str) -> Option<PhotoLimit> {
        PhotoLimit::ALL.into_iter().find(|l| l.code() == code)
    }

    /// Whether the same upload succeeds later by itself (a quota or rate frees up), rather than
    /// needing another photo.
    pub fn passes_with_time(self) -> bool {
        !matches!(self, PhotoLimit::TooManyPixels)
    }
}

impl PhotoRefusal {
    pub fn limit(self) -> PhotoLimit {
        match self {
            PhotoRefusal::DailyPhotos { .. } => PhotoLimit::DailyPhotos,
            PhotoRefusal::DailyBytes { .. } => PhotoLimit::DailyBytes,
            PhotoRefusal::TooFast { .. } => PhotoLimit::TooFast,
            PhotoRefusal::TooManyPixels { .. } => PhotoLimit::TooManyPixels,
        }
    }

    /// The error code in an API error body.
    pub fn code(self) -> &'static str {
        self.limit().code()
    }

    /// How long until trying again may succeed; `None` when waiting does not help.
    pub fn retry_after(self) -> Option<i64> {
        match self {
            PhotoRefusal::DailyPhotos { retry_after }
            | PhotoRefusal::DailyBytes { retry_after }
            | PhotoRefusal::TooFast { retry_after } => Some(retry_after),
            PhotoRefusal::TooManyPixels { .. } => None,
        }
    }
}

/// Refuses an image with a side over [`MAX_IMAGE_SIDE`] (or of no size at all), from the
/// width and height its header claims.
pub fn check_dimensions(width: u32, height: u32) -> Result<(), PhotoRefusal> {
    if width == 0 || height == 0 || width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE {
        return Err(PhotoRefusal::TooManyPixels { width, height });
    }
    Ok(())
}

/// One earlier upload by the same person: when, and how many bytes were kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PastUpload {
    pub at: i64,
    pub bytes: u64,
}

/// Whether a person may keep one more photo of `bytes` at `now`, given their uploads (any
/// order; those older than the window are ignored). A refusal says when enough of the window's
/// uploads will have aged out for this one to fit.
pub fn check_quota(past: &[PastUpload], bytes: u64, now: i64) -> Result<(), PhotoRefusal> {
    let mut live: Vec<PastUpload> = past
        .iter()
        .copied()
        .filter(|u| u.at > now - PHOTO_QUOTA_WINDOW_SECS && u.at <= now)
        .collect();
    live.sort_by_key(|u| u.at);
    // How many of the oldest must age out for one more to fit, by count and by bytes.
    let by_count = (live.len() + 1).saturating_sub(MAX_PHOTOS_PER_DAY);
    let mut by_bytes = 0;
    let mut total: u64 = live
        .iter()
        .map(|u| u.bytes)
        .sum::<u64>()
        .saturating_add(bytes);
    while total > MAX_PHOTO_BYTES_PER_DAY && by_bytes < live.len() {
        total -= live[by_bytes].bytes;
        by_bytes += 1;
    }
    if total > MAX_PHOTO_BYTES_PER_DAY {
        // Larger than a whole day's allowance on its own (never, below MAX_PHOTO_BYTES).
        return Err(PhotoRefusal::DailyBytes {
            retry_after: PHOTO_QUOTA_WINDOW_SECS,
        });
    }
    let must_leave = by_count.max(by_bytes);
    let Some(last) = must_leave.checked_sub(1).map(|i| live[i]) else {
        return Ok(());
    };
    // That upload leaves the window at `at + WINDOW` (and every one before it sooner).
    let retry_after = (last.at + PHOTO_QUOTA_WINDOW_SECS - now).max(1);
    Err(if by_count > 0 {
        PhotoRefusal::DailyPhotos { retry_after }
    } else {
        PhotoRefusal::DailyBytes { retry_after }
    })
}

/// Whether a photo uploaded at `uploaded_at` and cited by no request is to be deleted at `now`.
pub fn is_orphan_expired(uploaded_at: i64, now: i64) -> bool {
    now - uploaded_at >= ORPHAN_PHOTO_SECS
}

/// A photo's id: 32 lowercase hex digits (128 random bits). The id is also the photo's address,
/// so that an `<img>` can show it without a bearer header: unguessable, like a capability.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PhotoId(String);

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("a photo id is 32 lowercase hex digits")]
pub struct PhotoIdError;

impl PhotoId {
    pub fn parse(raw: &str) -> Result<PhotoId, PhotoIdError> {
        let ok = raw.len() == 32 && raw.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
        ok.then(|| PhotoId(raw.to_owned())).ok_or(PhotoIdError)
    }

    /// From 16 random bytes (the caller brings the randomness: the core does no IO).
    pub fn from_random(bytes: [u8; 16]) -> PhotoId {
        PhotoId(bytes.iter().map(|b| format!("{b:02x}")).collect())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for PhotoId {
    type Error = PhotoIdError;
    fn try_from(raw: String) -> Result<Self, PhotoIdError> {
        PhotoId::parse(&raw)
    }
}

impl From<PhotoId> for String {
    fn from(id: PhotoId) -> String {
        id.0
    }
}

impl std::fmt::Display for PhotoId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The image types a photo may be, known by their first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhotoKind {
    Jpeg,
    Png,
    Webp,
}

impl PhotoKind {
    pub const ALL: [PhotoKind; 3] = [PhotoKind::Jpeg, PhotoKind::Png, PhotoKind::Webp];

    pub fn content_type(self) -> &'static str {
        match self {
            PhotoKind::Jpeg => "image/jpeg",
            PhotoKind::Png => "image/png",
            PhotoKind::Webp => "image/webp",
        }
    }

    /// The kind a `Content-Type` header names (parameters ignored), if it is one of ours.
    pub fn from_content_type(header: &str) -> Option<PhotoKind> {
        let essence = header.split(';').next().unwrap_or("").trim();
        PhotoKind::ALL
            .into_iter()
            .find(|k| k.content_type().eq_ignore_ascii_case(essence))
    }

    /// What the bytes are, by their signature: what a file says it is is not trusted.
    pub fn sniff(bytes: &[u8]) -> Option<PhotoKind> {
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(PhotoKind::Jpeg)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(PhotoKind::Png)
        } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
            Some(PhotoKind::Webp)
        } else {
            None
        }
    }
}

/// `POST /api/v1/photos`: what the server kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PhotoUploaded {
    pub id: PhotoId,
    pub content_type: String,
    pub bytes: u64,
}

/// The width and height a photo is shrunk to: the longest side at most [`MAX_PHOTO_SIDE`], the
/// shape kept, never enlarged, never 0.
pub fn fitted_size(width: u32, height: u32) -> (u32, u32) {
    let longest = width.max(height);
    if longest <= MAX_PHOTO_SIDE {
        return (width.max(1), height.max(1));
    }
    let scale = |side: u32| {
        ((u64::from(side) * u64::from(MAX_PHOTO_SIDE) + u64::from(longest) / 2)
            / u64::from(longest))
        .max(1) as u32
    };
    (scale(width), scale(height))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn ids_are_32_lowercase_hex_digits() {
        let id = PhotoId::from_random([0xab; 16]);
        assert_eq!(id.as_str(), "abababababababababababababababab");
        assert_eq!(PhotoId::parse(id.as_str()), Ok(id));
        assert!(PhotoId::parse("ABABABABABABABABABABABABABABABAB").is_err());
        assert!(PhotoId::parse("abab").is_err());
        assert!(PhotoId::parse("../../../../etc/passwd0000000000").is_err());
    }

    #[test]
    fn the_bytes_decide_the_kind() {
        assert_eq!(
            PhotoKind::sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]),
            Some(PhotoKind::Jpeg)
        );
        assert_eq!(
            PhotoKind::sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            Some(PhotoKind::Png)
        );
        assert_eq!(
            PhotoKind::sniff(b"RIFF\x24\0\0\0WEBPVP8 "),
            Some(PhotoKind::Webp)
        );
        assert_eq!(PhotoKind::sniff(b"<img src=x onerror=alert(1)>"), None);
        assert_eq!(PhotoKind::sniff(b""), None);
        assert_eq!(
            PhotoKind::from_content_type("image/JPEG; q=1"),
            Some(PhotoKind::Jpeg)
        );
        assert_eq!(PhotoKind::from_content_type("image/gif"), None);
    }

    #[test]
    fn photos_shrink_to_1600_on_the_longest_side() {
        assert_eq!(fitted_size(4032, 3024), (1600, 1200));
        assert_eq!(fitted_size(3024, 4032), (1200, 1600));
        assert_eq!(fitted_size(800, 600), (800, 600));
        assert_eq!(fitted_size(100_000, 1), (1600, 1));
    }

    const MIB: u64 = 1024 * 1024;

    #[test]
    fn sides_up_to_8000_pass_and_one_more_is_refused() {
        assert_eq!(check_dimensions(8000, 8000), Ok(()));
        assert_eq!(check_dimensions(1600, 1200), Ok(()));
        let wide = check_dimensions(8001, 10).unwrap_err();
        assert_eq!(
            wide,
            PhotoRefusal::TooManyPixels {
                width: 8001,
                height: 10
            }
        );
        assert_eq!(wide.code(), "photo_too_many_pixels");
        assert_eq!(wide.retry_after(), None);
        assert!(check_dimensions(10, 8001).is_err());
        assert!(
            check_dimensions(0, 10).is_err(),
            "an image of no size is no photo"
        );
        assert!(check_dimensions(u32::MAX, u32::MAX).is_err());
    }

    #[test]
    fn the_61st_photo_in_24_hours_waits_for_the_first_to_age_out() {
        let now = 1_000_000;
        let day: Vec<PastUpload> = (0..60)
            .map(|i| PastUpload {
                at: now - 3600 + i,
                bytes: 1000,
            })
            .collect();
        assert_eq!(check_quota(&day[..59], 1000, now), Ok(()), "the 60th fits");
        let refused = check_quota(&day, 1000, now).unwrap_err();
        // The first left 3600 s ago; it ages out 24 h after its upload.
        assert_eq!(
            refused,
            PhotoRefusal::DailyPhotos {
                retry_after: 86_400 - 3600
            }
        );
        assert_eq!(refused.code(), "photo_quota_count");
        assert_eq!(
            check_quota(&day, 1000, now + 86_400 - 3600),
            Ok(()),
            "one has aged out"
        );
        // Uploads older than a day do not count, nor do future ones (a clock that went back).
        let old: Vec<PastUpload> = (0..100)
            .map(|i| PastUpload {
                at: now - 86_400 - i,
                bytes: 1,
            })
            .collect();
        assert_eq!(check_quota(&old, 1, now), Ok(()));
    }

    #[test]
    fn bytes_are_capped_at_100_mib_a_day_and_the_wait_frees_enough() {
        let now = 500_000;
        let past = [
            PastUpload {
                at: now - 100,
                bytes: 3 * MIB,
            },
            PastUpload {
                at: now - 200,
                bytes: 40 * MIB,
            },
            PastUpload {
                at: now - 300,
                bytes: 56 * MIB,
            },
        ];
        // 99 MiB kept: 1 MiB more fits exactly, one byte more does not.
        assert_eq!(check_quota(&past, MIB, now), Ok(()));
        let refused = check_quota(&past, MIB + 1, now).unwrap_err();
        // The oldest (56 MiB) leaving is enough.
        assert_eq!(
            refused,
            PhotoRefusal::DailyBytes {
                retry_after: 86_400 - 300
            }
        );
        assert_eq!(refused.code(), "photo_quota_bytes");
        // 3 MiB more needs the oldest gone only; 60 MiB more needs the two oldest gone.
        assert_eq!(
            check_quota(&past, 60 * MIB, now),
            Err(PhotoRefusal::DailyBytes {
                retry_after: 86_400 - 200
            })
        );
    }

    #[test]
    fn refusals_have_distinct_codes() {
        let all = [
            PhotoRefusal::DailyPhotos { retry_after: 1 },
            PhotoRefusal::DailyBytes { retry_after: 1 },
            PhotoRefusal::TooFast { retry_after: 1 },
            PhotoRefusal::TooManyPixels {
                width: 1,
                height: 1,
            },
        ];
        let limits: Vec<PhotoLimit> = all.iter().map(|r| r.limit()).collect();
        assert_eq!(limits, PhotoLimit::ALL);
        for limit in PhotoLimit::ALL {
            assert_eq!(PhotoLimit::from_code(limit.code()), Some(limit));
        }
        assert_eq!(PhotoLimit::from_code("payload_too_large"), None);
        assert!(!PhotoLimit::TooManyPixels.passes_with_time());
        assert!(all[2].to_string().contains("20 uploads a minute"));
    }

    #[test]
    fn an_uncited_photo_expires_a_day_after_its_upload() {
        assert!(!is_orphan_expired(0, ORPHAN_PHOTO_SECS - 1));
        assert!(is_orphan_expired(0, ORPHAN_PHOTO_SECS));
    }

    proptest! {
        #[test]
        fn a_quota_never_admits_more_than_the_day_allows(
            sizes in proptest::collection::vec(1u64..(3 * MIB), 0..80),
        ) {
            let mut kept: Vec<PastUpload> = Vec::new();
            for (i, bytes) in sizes.into_iter().enumerate() {
                let now = i as i64 * 60;
                if check_quota(&kept, bytes, now).is_ok() {
                    kept.push(PastUpload { at: now, bytes });
                }
            }
            prop_assert!(kept.len() <= MAX_PHOTOS_PER_DAY);
            prop_assert!(kept.iter().map(|u| u.bytes).sum::<u64>() <= MAX_PHOTO_BYTES_PER_DAY);
        }

        #[test]
        fn waiting_the_retry_after_is_enough(
            past in proptest::collection::vec((0i64..86_400, 1u64..(3 * MIB)), 0..70),
            bytes in 1u64..(3 * MIB),
        ) {
            let now = 86_400;
            let past: Vec<PastUpload> = past.into_iter().map(|(at, bytes)| PastUpload { at, bytes }).collect();
            if let Err(refusal) = check_quota(&past, bytes, now) {
                let wait = refusal.retry_after().unwrap_or(0);
                prop_assert!(wait >= 1);
                prop_assert_eq!(check_quota(&past, bytes, now + wait), Ok(()));
                if wait > 1 {
                    prop_assert!(check_quota(&past, bytes, now + wait - 1).is_err(), "no sooner");
                }
            }
        }
    }

    proptest! {
        #[test]
        fn a_fitted_size_keeps_the_shape_within_the_limit(w in 1u32..20_000, h in 1u32..20_000) {
            let (fw, fh) = fitted_size(w, h);
            prop_assert!(fw.max(fh) <= MAX_PHOTO_SIDE);
            prop_assert!(fw >= 1 && fh >= 1);
            prop_assert!(fw <= w && fh <= h);
            if w.max(h) > MAX_PHOTO_SIDE {
                prop_assert_eq!(fw.max(fh), MAX_PHOTO_SIDE);
                // The shape within one pixel of rounding.
                let (a, b) = (u64::from(fw) * u64::from(h), u64::from(fh) * u64::from(w));
                prop_assert!(a.abs_diff(b) <= u64::from(w.max(h)));
            }
        }
    }
}
