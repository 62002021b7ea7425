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
