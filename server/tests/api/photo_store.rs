//! Photos kept in a photo store (`--photos`) instead of their rows: a directory standing for the
//! replicas' shared volume, and an S3 server (s3s over a temporary directory, with its request
//! signatures checked) for object_store's S3 client to talk to. The whole photo suite also runs
//! with a directory store in the PostgreSQL pass (`common::test_photo_store`); here is what only
//! a store has: where the bytes go, photos kept in rows before a store was given, a server
//! without the store, the purge, and a store that refuses its keys.

use crate::common;
use crate::security_photos::{kept, upload};

use axum::http::StatusCode;
use citizen_core::requests::{ORPHAN_PHOTO_SECS, PhotoId};
use citizen_server::store::housekeeping;
use citizen_server::store::photo_objects::PhotoStore;
use common::images::jpeg;
use common::*;
use hyper_util::rt::TokioIo;
use std::net::SocketAddr;
use std::path::Path;

const BUCKET: &str = "city-photos";
const ACCESS_KEY: &str = "citizen-test";
const SECRET_KEY: &str = "citizen-test-secret-key";

/// An S3 server over `root` (its bucket `BUCKET` a directory there) on a loopback port, that
/// takes requests signed with `ACCESS_KEY` and `SECRET_KEY` only.
async fn s3_server(root: &Path) -> SocketAddr {
    std::fs::create_dir_all(root.join(BUCKET)).unwrap();
    let mut builder = s3s::service::S3ServiceBuilder::new(s3s_fs::FileSystem::new(root).unwrap());
    builder.set_auth(s3s::auth::SimpleAuth::from_single(ACCESS_KEY, SECRET_KEY));
    let service = builder.build();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let (socket, _) = listener.accept().await.unwrap();
            let connection = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(socket), service.clone());
            tokio::spawn(connection);
        }
    });
    addr
}

/// `s3://BUCKET/prefix` on the server at `addr`, signed with `secret`.
fn s3_store(addr: SocketAddr, prefix: &str, secret: &str) -> PhotoStore {
    let options = [
        ("aws_endpoint", format!("http://{addr}")),
        ("aws_allow_http", "true".to_owned()),
        ("aws_region", "cn-southwest-1".to_owned()),
        ("aws_access_key_id", ACCESS_KEY.to_owned()),
        ("aws_secret_access_key", secret.to_owned()),
    ];
    PhotoStore::new(
        &format!("s3://{BUCKET}/{prefix}"),
        options.map(|(k, v)| (k.to_owned(), v)),
    )
    .unwrap()
}

/// A server whose photo store is a directory of its own, and that directory.
async fn on_a_shared_directory() -> (TestApp, tempfile::TempDir) {
    let shared = tempfile::tempdir().unwrap();
    let store = file_store(shared.path());
    (
        spawn_app_with("/", |s| s.photos = Some(store)).await,
        shared,
    )
}

/// A server whose photo store is `s3://BUCKET/prefix` on an S3 server of its own, and the
/// directory that server keeps its buckets in.
async fn on_an_s3_bucket(prefix: &str) -> (TestApp, tempfile::TempDir) {
    let root = tempfile::tempdir().unwrap();
    let store = s3_store(s3_server(root.path()).await, prefix, SECRET_KEY);
    (spawn_app_with("/", |s| s.photos = Some(store)).await, root)
}

/// The row's size and whether it holds the bytes.
fn row_of(app: &TestApp, id: &str) -> (i64, bool) {
    app.db()
        .query_row(
            "SELECT size, bytes IS NOT NULL FROM photos WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap()
}

/// Uploads, serves and purges through `app`, whose store writes each photo's object to
/// `object_path(id)`: the object holds exactly the bytes served, the row none of them, and the
/// purge deletes the object of the photo it deletes, never a cited one's.
async fn kept_served_and_purged(app: &TestApp, object_path: impl Fn(&str) -> std::path::PathBuf) {
    let resident = app.sign_in(RESIDENT).await;
    let orphan = kept(app, &resident, jpeg(5_000, 1)).await;
    let cited = kept(app, &resident, jpeg(5_000, 2)).await;
    let filed = file_with(app, &resident, &[&cited]).await;
    assert_eq!(filed.status, StatusCode::CREATED, "{}", filed.text);

    for id in [&orphan, &cited] {
        let served = app.get(&format!("/api/v1/photos/{id}"), None).await;
        assert_eq!(served.status, StatusCode::OK, "{}", served.text);
        assert_eq!(served.headers["content-type"], "image/jpeg");
        let object = std::fs::read(object_path(id)).unwrap();
        assert_eq!(
            served.bytes, object,
            "the store holds the very bytes served"
        );
        assert_eq!(
            row_of(app, id),
            (object.len() as i64, false),
            "the row keeps none"
        );
    }

    app.clock.advance(ORPHAN_PHOTO_SECS);
    let purged = housekeeping::run_once(&app.state).await.unwrap();
    assert_eq!(purged.orphan_photos, 1);
    assert!(
        !object_path(&orphan).exists(),
        "the purged photo's object is deleted"
    );
    assert!(
        object_path(&cited).exists(),
        "a cited photo's object is kept"
    );
    let gone = app.get(&format!("/api/v1/photos/{orphan}"), None).await;
    gone.assert_error(StatusCode::NOT_FOUND, "not_found", None);
}

/// Makes the file at `path` two days old, as the store sees its object's age.
fn two_days_old(path: &Path) {
    let then = std::time::SystemTime::now() - std::time::Duration::from_secs(2 * 24 * 3600);
    std::fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(then)
        .unwrap();
}

/// The daily sweep through `app`, whose store keeps photo `id`'s object at `object_path(id)`:
/// objects a day old that no row names (an upload whose row never came, a delete that failed)
/// are deleted; a photo's own object however old, an unnamed one younger than a day, and a file
/// that is not a photo's are kept.
async fn swept(app: &TestApp, object_path: impl Fn(&str) -> std::path::PathBuf) {
    let resident = app.sign_in(RESIDENT).await;
    let photo = kept(app, &resident, jpeg(3_000, 1)).await;
    let objects = app.state.photo_objects.as_ref().unwrap();
    let lost = PhotoId::from_random([1; 16]);
    let young = PhotoId::from_random([2; 16]);
    for id in [&lost, &young] {
        objects.put(id, jpeg(2_000, 9)).await.unwrap();
    }
    let foreign = object_path("notes.txt");
    std::fs::write(&foreign, "the bucket's own notes").unwrap();
    for path in [
        object_path(&photo),
        object_path(lost.as_str()),
        foreign.clone(),
    ] {
        two_days_old(&path);
    }

    assert_eq!(housekeeping::sweep_photo_store(&app.state).await, Ok(1));
    assert!(
        !object_path(lost.as_str()).exists(),
        "the lost object is deleted"
    );
    assert!(
        object_path(young.as_str()).exists(),
        "a young one may be an upload in flight"
    );
    assert!(foreign.exists(), "not a photo's");
    let served = app.get(&format!("/api/v1/photos/{photo}"), None).await;
    assert_eq!(served.status, StatusCode::OK, "a photo's object is kept");
    assert_eq!(housekeeping::sweep_photo_store(&app.state).await, Ok(0));
}

#[tokio::test]
async fn photos_in_a_shared_directory_are_kept_served_and_purged_there() {
    let (app, shared) = on_a_shared_directory().await;
    kept_served_and_purged(&app, |id| shared.path().join(id)).await;
}

#[tokio::test]
async fn objects_no_row_names_are_swept_from_a_shared_directory_once_a_day_old() {
    let (app, shared) = on_a_shared_directory().await;
    swept(&app, |id| shared.path().join(id)).await;
}

#[tokio::test]
async fn objects_no_row_names_are_swept_from_an_s3_bucket_once_a_day_old() {
    let (app, root) = on_an_s3_bucket("swept").await;
    std::fs::create_dir_all(root.path().join(BUCKET).join("swept")).unwrap();
    swept(&app, |id| root.path().join(BUCKET).join("swept").join(id)).await;
}

/// A server without a photo store has nothing to sweep.
#[tokio::test]
async fn a_server_keeping_photos_in_rows_sweeps_nothing() {
    let app = spawn_app_with("/", |s| s.photos = None).await;
    assert_eq!(housekeeping::sweep_photo_store(&app.state).await, Ok(0));
}

#[tokio::test]
async fn photos_in_an_s3_bucket_are_kept_served_and_purged_there() {
    let (app, root) = on_an_s3_bucket("chengdu/photos").await;
    kept_served_and_purged(&app, |id| {
        root.path().join(BUCKET).join("chengdu/photos").join(id)
    })
    .await;
}

#[tokio::test]
async fn a_store_that_refuses_the_keys_stops_the_server_at_start() {
    let root = tempfile::tempdir().unwrap();
    let addr = s3_server(root.path()).await;
    let dir = tempfile::tempdir().unwrap();
    let settings = citizen_server::Settings {
        photos: Some(s3_store(addr, "p", "not-the-secret")),
        ..test_settings(dir.path(), "/")
    };
    let clock = std::sync::Arc::new(citizen_server::clock::ManualClock::at(START));
    let Err(refused) = citizen_server::AppState::load(&settings, clock).await else {
        panic!("a server started on a store that refuses its keys");
    };
    let said = refused.to_string();
    assert!(
        said.starts_with(&format!("the photo store s3://{BUCKET}/p")),
        "{said}"
    );
}

/// A city that kept photos in the database and then gives the server a store: the photos already
/// in rows are served from them, new ones go to the store; a server on the same database without
/// the store serves the old ones and answers a new one's request with a 500 (logged), not a
/// wrong image or a panic.
#[tokio::test]
async fn photos_kept_in_rows_before_a_store_was_given_are_still_served() {
    let before = spawn_app_with("/", |s| s.photos = None).await;
    let resident = before.sign_in(RESIDENT).await;
    let in_row = kept(&before, &resident, jpeg(3_000, 7)).await;
    assert!(row_of(&before, &in_row).1, "kept in its row");

    let shared = tempfile::tempdir().unwrap();
    let store = file_store(shared.path());
    let database = before.database.clone();
    let after = spawn_app_with("/", |s| {
        s.database = Some(database);
        s.photos = Some(store);
    })
    .await;
    let resident = after.sign_in(RESIDENT).await;
    let in_store = kept(&after, &resident, jpeg(3_000, 8)).await;
    assert!(!row_of(&after, &in_store).1, "kept in the store");
    for id in [&in_row, &in_store] {
        let served = after.get(&format!("/api/v1/photos/{id}"), None).await;
        assert_eq!(served.status, StatusCode::OK, "{id}: {}", served.text);
        assert_eq!(Some(served.bytes), after.kept_photo(id).await);
    }

    let old = before.get(&format!("/api/v1/photos/{in_row}"), None).await;
    assert_eq!(old.status, StatusCode::OK);
    let new = before
        .get(&format!("/api/v1/photos/{in_store}"), None)
        .await;
    new.assert_error(StatusCode::INTERNAL_SERVER_ERROR, "internal", None);
}

/// A refusal after the object was written (the day's bytes, checked again in the write) deletes
/// that object: the store holds the kept photos only.
#[tokio::test]
async fn an_upload_refused_in_its_write_leaves_no_object() {
    let (app, shared) = on_a_shared_directory().await;
    let resident = app.sign_in(RESIDENT).await;
    let first = kept(&app, &resident, jpeg(2_000, 1)).await;
    // The day's 100 MiB used but 1 KiB, by rows that say so (no bytes needed for the count).
    let rest = 100 * 1024 * 1024 - 1024 - 2_000_i64;
    // Another id (the first is random: this one cannot be it but by a 2^-128 chance).
    let other = PhotoId::from_random([0xAB; 16]);
    app.db()
        .with(|c| {
            c.execute(
                "INSERT INTO photos (id, owner_id, content_type, bytes, size, created_at)
                 SELECT ?3, owner_id, content_type, NULL, ?2, created_at
                 FROM photos WHERE id = ?1",
                citizen_server::store::sql::params![first, rest, other.as_str()],
            )
        })
        .unwrap();
    let refused = upload(&app, &resident, "image/jpeg", jpeg(4_000, 2)).await;
    refused.assert_error(
        StatusCode::TOO_MANY_REQUESTS,
        "photo_quota_bytes",
        Some("photo"),
    );
    assert_eq!(files_in(shared.path()), 1, "only the first photo's object");
    assert!(shared.path().join(&first).exists());
}
