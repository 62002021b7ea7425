//! Attacks on photo uploads, each refused: filling the disk (the day's quota), a burst of
//! uploads (the rate, counted before a byte of the body is read), an image whose header claims
//! more pixels than any decoder could hold, a resident's position leaking through EXIF, uploads
//! left behind without a request, and a resident's photo kept by a shared cache.

use crate::common;

use axum::body::{Body, Bytes};
use axum::http::{Request, StatusCode, header};
use citizen_core::requests::{
    MAX_PHOTO_BYTES, MAX_PHOTOS_PER_DAY, ORPHAN_PHOTO_SECS, PHOTO_QUOTA_WINDOW_SECS,
    PHOTO_UPLOADS_PER_MINUTE,
};
use citizen_server::clock::Clock;
use citizen_server::store::photos::purge_orphans;
use common::images::{jpeg, jpeg_sized, png_chunk, png_sized, webp_sized};
use common::*;
use http_body_util::{BodyExt, Full};
use serde_json::json;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use tower::ServiceExt;

fn upload_request(token: &str, content_type: &str, body: impl Into<Body>) -> Request<Body> {
    with_token(Request::post("/api/v1/photos"), Some(token))
        .header(header::CONTENT_TYPE, content_type)
        .body(body.into())
        .unwrap()
}

pub(crate) async fn upload(
    app: &TestApp,
    token: &str,
    content_type: &str,
    bytes: Vec<u8>,
) -> Reply {
    app.send(upload_request(token, content_type, bytes)).await
}

/// Uploads `bytes` and returns the new photo's id.
pub(crate) async fn kept(app: &TestApp, token: &str, bytes: Vec<u8>) -> String {
    let reply = upload(app, token, "image/jpeg", bytes).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    reply.body["id"].as_str().unwrap().to_owned()
}

fn retry_after(reply: &Reply) -> i64 {
    reply.headers[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap()
}

/// A minute on the test clock: the per-minute rate starts again, the day's quota does not.
fn next_minute(app: &TestApp) {
    app.clock.advance(61);
}

#[tokio::test]
async fn the_61st_photo_in_24_hours_is_refused_until_the_first_ages_out() {
    let app = spawn_app().await;
    let resident = app.sign_in(RESIDENT).await;
    let neighbour = app.sign_in(VOLUNTEER).await;
    // The first alone, then the rest a minute later, in minutes of at most 20.
    let per_minute = PHOTO_UPLOADS_PER_MINUTE as usize;
    for i in 0..MAX_PHOTOS_PER_DAY {
        if i % per_minute == 1 {
            next_minute(&app);
        }
        kept(&app, &resident, jpeg(300, i as u8)).await;
    }
    next_minute(&app);
    let first_at = START;
    let refused = upload(&app, &resident, "image/jpeg", jpeg(300, 99)).await;
    refused.assert_error(
        StatusCode::TOO_MANY_REQUESTS,
        "photo_quota_count",
        Some("photo"),
    );
    assert!(refused.message().contains("60 photos"), "{}", refused.text);
    let wait = retry_after(&refused);
    assert_eq!(
        wait,
        first_at + PHOTO_QUOTA_WINDOW_SECS - app.clock.now(),
        "until the first upload is 24 hours old"
    );
    assert_eq!(app.count("photos"), MAX_PHOTOS_PER_DAY as i64);

    // Someone else's quota is their own.
    kept(&app, &neighbour, jpeg(300, 1)).await;

    // A second before, still refused; then one slot is free again.
    app.clock.advance(wait - 1);
    let still = upload(&app, &resident, "image/jpeg", jpeg(300, 98)).await;
    assert_eq!(
        still.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        still.text
    );
    app.clock.advance(1);
    kept(&app, &resident, jpeg(300, 97)).await;
    let again = upload(&app, &resident, "image/jpeg", jpeg(300, 96)).await;
    assert_eq!(
        again.status,
        StatusCode::TOO_MANY_REQUESTS,
        "only the one slot: {}",
        again.text
    );
}

#[tokio::test]
async fn more_than_100_mib_in_24_hours_is_refused() {
    let app = spawn_app().await;
    let resident = app.sign_in(RESIDENT).await;
    // 33 photos of 3 MiB are 99 MiB; the 34th would make 102.
    for i in 0..33 {
        if i > 0 && i % PHOTO_UPLOADS_PER_MINUTE == 0 {
            next_minute(&app);
        }
        kept(&app, &resident, jpeg(MAX_PHOTO_BYTES, i as u8)).await;
    }
    let refused = upload(&app, &resident, "image/jpeg", jpeg(MAX_PHOTO_BYTES, 50)).await;
    refused.assert_error(
        StatusCode::TOO_MANY_REQUESTS,
        "photo_quota_bytes",
        Some("photo"),
    );
    assert!(retry_after(&refused) > 0);
    // A small one still fits in the last MiB.
    kept(&app, &resident, jpeg(500 * 1024, 51)).await;
    assert_eq!(app.count("photos"), 34);
    // With a photo store, the refused one's object (written before its row was refused) is gone.
    if let Some(objects) = app.files_in_photo_store() {
        assert_eq!(objects, 34);
    }
}

#[tokio::test]
async fn a_parallel_burst_gets_20_uploads_through_and_the_rest_refused() {
    let app = spawn_app().await;
    let resident = app.sign_in(RESIDENT).await;
    let burst = 2 * PHOTO_UPLOADS_PER_MINUTE as usize;
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..burst {
        let router = app.router.clone();
        let request = with_key(
            upload_request(&resident, "image/jpeg", jpeg(50 * 1024, i as u8)),
            &format!("burst-{i}"),
        );
        tasks.spawn(async move { router.oneshot(request).await.unwrap().status() });
    }
    let mut statuses = Vec::new();
    while let Some(status) = tasks.join_next().await {
        statuses.push(status.unwrap());
    }
    let created = statuses
        .iter()
        .filter(|s| **s == StatusCode::CREATED)
        .count();
    let limited = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!(
        (created, limited),
        (PHOTO_UPLOADS_PER_MINUTE as usize, burst - created),
        "{statuses:?}"
    );
    assert_eq!(app.count("photos"), i64::from(PHOTO_UPLOADS_PER_MINUTE));
    assert_eq!(
        app.count("idempotency_keys"),
        i64::from(PHOTO_UPLOADS_PER_MINUTE),
        "a refused upload never reached the idempotency guard"
    );

    let refused = upload(&app, &resident, "image/jpeg", jpeg(300, 1)).await;
    refused.assert_error(
        StatusCode::TOO_MANY_REQUESTS,
        "photo_rate_limited",
        Some("photo"),
    );
    assert!((1..=60).contains(&retry_after(&refused)));
    next_minute(&app);
    kept(&app, &resident, jpeg(300, 2)).await;
}

#[tokio::test]
async fn the_rate_is_counted_before_a_byte_of_the_body_is_read() {
    let app = spawn_app().await;
    let resident = app.sign_in(RESIDENT).await;
    for i in 0..PHOTO_UPLOADS_PER_MINUTE {
        kept(&app, &resident, jpeg(300, i as u8)).await;
    }
    // A body that notes when anyone polls it, sent with a key (whose guard reads bodies first).
    let read = Arc::new(AtomicBool::new(false));
    let flag = read.clone();
    let body = Body::new(
        Full::new(Bytes::from(jpeg(300, 200))).map_frame(move |frame| {
            flag.store(true, Ordering::SeqCst);
            frame
        }),
    );
    let refused = app
        .send(with_key(
            upload_request(&resident, "image/jpeg", body),
            "unread",
        ))
        .await;
    refused.assert_error(
        StatusCode::TOO_MANY_REQUESTS,
        "photo_rate_limited",
        Some("photo"),
    );
    assert!(
        !read.load(Ordering::SeqCst),
        "the refused upload's body was read"
    );
    // A stranger without a sign-in is refused as such, and counts against no one.
    let anonymous = app
        .send(
            Request::post("/api/v1/photos")
                .header(header::CONTENT_TYPE, "image/jpeg")
                .body(Body::from(jpeg(300, 1)))
                .unwrap(),
        )
        .await;
    anonymous.assert_error(StatusCode::UNAUTHORIZED, "unauthorized", None);
}

#[tokio::test]
async fn an_image_over_8000_px_on_a_side_is_refused_from_its_header() {
    let app = spawn_app().await;
    let resident = app.sign_in(RESIDENT).await;
    // Headers only, and scan or image data that is no image: a decoder would fail on them (or,
    // at 50,000 × 50,000, try to hold 10 GB of pixels); the header is all that is read.
    let garbage_idat = png_chunk(b"IDAT", &[0xAB; 64]);
    for (case, content_type, bytes) in [
        (
            "8001 px wide PNG",
            "image/png",
            png_sized(8001, 600, &garbage_idat),
        ),
        ("8001 px high PNG", "image/png", png_sized(600, 8001, &[])),
        (
            "10 GB of pixels",
            "image/png",
            png_sized(50_000, 50_000, &garbage_idat),
        ),
        (
            "8001 px wide JPEG",
            "image/jpeg",
            jpeg_sized(2000, 1, 8001, 600),
        ),
        ("8001 px wide WebP", "image/webp", webp_sized(8001, 600)),
    ] {
        let reply = upload(&app, &resident, content_type, bytes).await;
        reply.assert_error_for(
            case,
            StatusCode::UNPROCESSABLE_ENTITY,
            "photo_too_many_pixels",
            Some("photo"),
        );
        assert!(reply.message().contains("8000"), "{case}: {}", reply.text);
        next_minute(&app);
    }
    assert_eq!(app.count("photos"), 0);
    // 8000 is still fine, whatever the type.
    for (content_type, bytes) in [
        ("image/png", png_sized(8000, 8000, &garbage_idat)),
        ("image/jpeg", jpeg_sized(2000, 1, 8000, 8000)),
        ("image/webp", webp_sized(8000, 1)),
    ] {
        let reply = upload(&app, &resident, content_type, bytes).await;
        assert_eq!(
            reply.status,
            StatusCode::CREATED,
            "{content_type}: {}",
            reply.text
        );
    }
    // A header that cannot be read is refused too, never guessed.
    let reply = upload(
        &app,
        &resident,
        "image/png",
        b"\x89PNG\r\n\x1a\n\0\0".to_vec(),
    )
    .await;
    reply.assert_error(
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_field",
        Some("photo"),
    );
}

/// A real 64 × 48 JPEG, encoded here, and the same file with what a phone adds in front of the
/// pixels: an EXIF APP1 with a GPS block (玉林, Chengdu), an XMP APP1 naming the position again,
/// and a comment.
fn camera_photo() -> (Vec<u8>, Vec<u8>) {
    let (width, height) = (64u16, 48u16);
    let pixels: Vec<u8> = (0..usize::from(width) * usize::from(height))
        .flat_map(|i| {
            let (x, y) = (i % 64, i / 64);
            [(x * 4) as u8, (y * 5) as u8, ((x + y) * 2) as u8]
        })
        .collect();
    let mut clean = Vec::new();
    jpeg_encoder::Encoder::new(&mut clean, 90)
        .encode(&pixels, width, height, jpeg_encoder::ColorType::Rgb)
        .unwrap();

    let mut tagged = clean[..2].to_vec();
    tagged.extend(segment(0xE1, &exif_with_gps()));
    tagged.extend(segment(
        0xE1,
        b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta><rdf:Description exif:GPSLatitude=\"30,39.6N\"/></x:xmpmeta>",
    ));
    tagged.extend(segment(0xFE, "拍摄于玉林北路 3 号".as_bytes()));
    tagged.extend(&clean[2..]);
    (clean, tagged)
}

fn segment(marker: u8, contents: &[u8]) -> Vec<u8> {
    let mut bytes = vec![0xFF, marker];
    bytes.extend(((contents.len() + 2) as u16).to_be_bytes());
    bytes.extend(contents);
    bytes
}

/// `Exif\0\0`, then a big-endian TIFF: IFD0 with one entry pointing at a GPS IFD that holds
/// latitude 30°39'36" N and longitude 104°4'12" E.
fn exif_with_gps() -> Vec<u8> {
    let mut t = b"MM\0\x2a\0\0\0\x08".to_vec();
    let entry = |t: &mut Vec<u8>, tag: u16, kind: u16, count: u32, value: [u8; 4]| {
        t.extend(tag.to_be_bytes());
        t.extend(kind.to_be_bytes());
        t.extend(count.to_be_bytes());
        t.extend(value);
    };
    // IFD0 at 8: one entry, GPSInfo → the GPS IFD at 8 + 2 + 12 + 4 = 26.
    t.extend(1u16.to_be_bytes());
    entry(&mut t, 0x8825, 4, 1, 26u32.to_be_bytes());
    t.extend(0u32.to_be_bytes());
    // The GPS IFD at 26: four entries (2 + 48 + 4 bytes), the rationals after it at 80 and 104.
    t.extend(4u16.to_be_bytes());
    entry(&mut t, 0x0001, 2, 2, *b"N\0\0\0");
    entry(&mut t, 0x0002, 5, 3, 80u32.to_be_bytes());
    entry(&mut t, 0x0003, 2, 2, *b"E\0\0\0");
    entry(&mut t, 0x0004, 5, 3, 104u32.to_be_bytes());
    t.extend(0u32.to_be_bytes());
    for (n, d) in [
        (30u32, 1u32),
        (39, 1),
        (3600, 100),
        (104, 1),
        (4, 1),
        (1200, 100),
    ] {
        t.extend(n.to_be_bytes());
        t.extend(d.to_be_bytes());
    }
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend(t);
    app1
}

/// The markers of a JPEG's segments before its first scan.
fn header_markers(bytes: &[u8]) -> Vec<u8> {
    let mut markers = Vec::new();
    let mut i = 2;
    while i + 4 <= bytes.len() && bytes[i] == 0xFF {
        let marker = bytes[i + 1];
        markers.push(marker);
        if marker == 0xDA {
            break;
        }
        i += 2 + usize::from(u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]));
    }
    markers
}

/// Whether `bytes` hold `needle` anywhere.
fn contains(bytes: &[u8], needle: &[u8]) -> bool {
    bytes.windows(needle.len()).any(|w| w == needle)
}

/// Width, height and pixels, decoded in full.
fn decode(bytes: &[u8]) -> (u16, u16, Vec<u8>) {
    let cursor = zune_jpeg::zune_core::bytestream::ZCursor::new(bytes);
    let mut decoder = zune_jpeg::JpegDecoder::new(cursor);
    let pixels = decoder.decode().expect("a valid JPEG");
    let info = decoder.info().expect("a frame header");
    (info.width, info.height, pixels)
}

#[tokio::test]
async fn exif_and_its_gps_block_are_gone_from_the_stored_jpeg_and_the_pixels_are_not() {
    let app = spawn_app().await;
    let resident = app.sign_in(RESIDENT).await;
    let (clean, tagged) = camera_photo();
    assert!(contains(&tagged, b"Exif\0\0") && contains(&tagged, b"GPSLatitude"));

    let reply = upload(&app, &resident, "image/jpeg", tagged.clone()).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    assert_eq!(
        reply.body["bytes"],
        clean.len(),
        "the size kept is after stripping"
    );
    let id = reply.body["id"].as_str().unwrap();
    let served = app.get(&format!("/api/v1/photos/{id}"), None).await;
    let stored = app.kept_photo(id).await.unwrap();
    assert_eq!(served.bytes, stored);

    assert!(
        !contains(&stored, b"Exif\0\0"),
        "an EXIF APP1 segment is left"
    );
    assert!(
        !contains(&stored, b"GPSLatitude"),
        "the XMP position is left"
    );
    assert!(!contains(&stored, "玉林".as_bytes()), "the comment is left");
    assert!(
        !header_markers(&stored).contains(&0xE1),
        "an APP1 segment is left: {:02X?}",
        header_markers(&stored)
    );
    // Exactly the encoder's own file: tables and scan data untouched, nothing re-encoded.
    assert_eq!(stored, clean);
    let (width, height, pixels) = decode(&stored);
    assert_eq!((width, height), (64, 48));
    assert_eq!(pixels, decode(&clean).2, "the same pixels");
}

#[tokio::test]
async fn metadata_chunks_are_gone_from_a_stored_png() {
    let app = spawn_app().await;
    let resident = app.sign_in(RESIDENT).await;
    let idat = png_chunk(
        b"IDAT",
        &[0x78, 0x9C, 0x63, 0x60, 0x00, 0x00, 0x00, 0x04, 0x00, 0x01],
    );
    let iend = png_chunk(b"IEND", &[]);
    let mut tagged_rest = png_chunk(b"eXIf", &exif_with_gps()[6..]);
    tagged_rest.extend(png_chunk(
        b"iTXt",
        b"XML:com.adobe.xmp\0\0\0\0\0exif:GPSLatitude=\"30,39.6N\"",
    ));
    tagged_rest.extend(png_chunk(b"tEXt", b"Comment\0\xe7\x8e\x89\xe6\x9e\x97"));
    tagged_rest.extend(&idat);
    tagged_rest.extend(&iend);
    let mut clean_rest = idat.clone();
    clean_rest.extend(&iend);

    let reply = upload(&app, &resident, "image/png", png_sized(1, 1, &tagged_rest)).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    let id = reply.body["id"].as_str().unwrap();
    let served = app.get(&format!("/api/v1/photos/{id}"), None).await;
    assert_eq!(served.bytes, png_sized(1, 1, &clean_rest));
}

#[tokio::test]
async fn an_uncited_photo_is_purged_after_24_hours_and_a_cited_one_is_kept() {
    let app = spawn_app().await;
    let resident = app.sign_in(RESIDENT).await;
    let cited = kept(&app, &resident, jpeg(400, 1)).await;
    let orphan = kept(&app, &resident, jpeg(400, 2)).await;
    app.clock.advance(3600);
    let younger = kept(&app, &resident, jpeg(400, 3)).await;
    let filed = file_with(&app, &resident, &[&cited]).await;
    assert_eq!(filed.status, StatusCode::CREATED, "{}", filed.text);

    // A second short of a day after the first two: nothing is old enough.
    let first_day_ends = START + ORPHAN_PHOTO_SECS;
    app.clock.advance(first_day_ends - 1 - app.clock.now());
    assert_eq!(
        app.db()
            .with(|c| purge_orphans(c, app.clock.now()))
            .unwrap()
            .count,
        0
    );
    assert_eq!(app.count("photos"), 3);

    // The server's periodic housekeeping pass is what deletes it.
    app.clock.advance(1);
    let purged = citizen_server::store::housekeeping::run_once(&app.state)
        .await
        .unwrap();
    assert_eq!(purged.orphan_photos, 1);
    let gone = app.get(&format!("/api/v1/photos/{orphan}"), None).await;
    gone.assert_error(StatusCode::NOT_FOUND, "not_found", None);
    assert_eq!(app.kept_photo(&orphan).await, None, "its bytes go with it");
    for id in [&cited, &younger] {
        let served = app.get(&format!("/api/v1/photos/{id}"), None).await;
        assert_eq!(served.status, StatusCode::OK, "{id} is kept");
    }
    // Purging again removes nothing more; the younger one goes when its own day is over.
    assert_eq!(
        app.db()
            .with(|c| purge_orphans(c, app.clock.now()))
            .unwrap()
            .count,
        0
    );
    app.clock.advance(3600);
    assert_eq!(
        app.db()
            .with(|c| purge_orphans(c, app.clock.now()))
            .unwrap()
            .count,
        1
    );
    assert_eq!(app.count("photos"), 1);
    // The cited photo is still on its request, and a purged one can no longer be cited.
    let refused = file_with(&app, &resident, &[&younger]).await;
    refused.assert_error(
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_field",
        Some("photos"),
    );
    let tracking = filed.body["tracking"].as_str().unwrap();
    let request = app
        .get(&format!("/api/v1/requests/{tracking}"), Some(&resident))
        .await;
    assert_eq!(request.body["photos"], json!([cited]));
}

#[tokio::test]
async fn a_photo_is_served_private_to_the_browser_never_to_a_shared_cache() {
    let app = spawn_app().await;
    let resident = app.sign_in(RESIDENT).await;
    let id = kept(&app, &resident, jpeg(400, 1)).await;
    let served = app.get(&format!("/api/v1/photos/{id}"), None).await;
    assert_eq!(served.status, StatusCode::OK);
    let cache = served.headers[header::CACHE_CONTROL].to_str().unwrap();
    let directives: Vec<&str> = cache.split(',').map(str::trim).collect();
    assert!(directives.contains(&"private"), "{cache}");
    assert!(!directives.contains(&"public"), "{cache}");
    assert!(
        !directives.iter().any(|d| d.starts_with("s-maxage")),
        "{cache}"
    );
    assert_eq!(served.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
}
