//! Photos' bytes outside the database (`--photos`): an S3-compatible bucket, or a directory every
//! replica mounts, through the `object_store` crate. The photo's row stays in the database
//! (owner, type, size, age, the request citing it: everything the quotas, the purge and the
//! citations read) with `bytes` NULL, and the object is named by the photo's id under the URL's
//! path. Without `--photos` the bytes stay in the row, as they always have; a server that is
//! given a store later keeps serving the photos already in rows.
//!
//! The object is written before its row and deleted after its row: a photo that has a row always
//! has its bytes. An upload refused or failed after its object was written deletes that object at
//! once; an object left without a row (a process killed between the two writes, a delete that
//! failed) is found by housekeeping's daily sweep once it is a day old, and deleted.

use bytes::Bytes;
use citizen_core::requests::PhotoId;
use futures_util::{Stream, TryStreamExt};
use object_store::path::Path;
use object_store::{ObjectStore, PutPayload};
use std::time::SystemTime;
use url::Url;

/// What `--photos` names, read at start: the store's URL and the options it is opened with
/// (credentials, region, an S3-compatible endpoint: the `AWS_*` environment variables).
#[derive(Clone)]
pub struct PhotoStore {
    url: Url,
    options: Vec<(String, String)>,
}

impl PhotoStore {
    /// `file:///srv/citizen/photos` (or the absolute path alone) or `s3://bucket[/prefix]`, with
    /// `options` such as `("aws_endpoint", "https://oss.example")` (object_store's
    /// `AmazonS3ConfigKey` names).
    pub fn new(
        raw: &str,
        options: impl IntoIterator<Item = (String, String)>,
    ) -> Result<PhotoStore, String> {
        let usage = || {
            format!(
                "the photo store is file:///a/directory (or /a/directory) or \
                 s3://bucket[/prefix], not {raw:?}"
            )
        };
        let url = match Url::parse(raw) {
            Ok(url) => url,
            // An absolute path is the directory's.
            Err(_) if raw.starts_with('/') => {
                Url::from_directory_path(raw).map_err(|()| usage())?
            }
            Err(_) => return Err(usage()),
        };
        match url.scheme() {
            "file" if url.path().len() > 1 => {}
            "s3" if url.host_str().is_some_and(|b| !b.is_empty()) => {}
            _ => return Err(usage()),
        }
        if !url.username().is_empty() || url.password().is_some() || url.query().is_some() {
            return Err(
                "the photo store's URL carries no credentials or options: give them as \
                 AWS_* environment variables"
                    .to_owned(),
            );
        }
        Ok(PhotoStore {
            url,
            options: options.into_iter().collect(),
        })
    }

    /// The `AWS_*` variables of this process's environment, as options (`AWS_REGION` →
    /// `aws_region`), for [`PhotoStore::new`].
    pub fn options_from_env() -> Vec<(String, String)> {
        std::env::vars()
            .filter(|(key, _)| key.starts_with("AWS_"))
            .map(|(key, value)| (key.to_ascii_lowercase(), value))
            .collect()
    }

    /// The URL, for logs and the start-up banner (it holds no secret).
    pub fn describe(&self) -> &str {
        self.url.as_str()
    }

    /// Opens the store and checks that it answers: a directory is created when missing; a
    /// bucket is asked for an object that does not exist (a wrong key, region or bucket fails
    /// here, at start, instead of at a resident's first photo).
    pub async fn open(&self) -> Result<PhotoObjects, String> {
        let failed = |e: &dyn std::fmt::Display| format!("the photo store {}: {e}", self.url);
        if self.url.scheme() == "file" {
            let dir = self
                .url
                .to_file_path()
                .map_err(|()| failed(&"not a local path"))?;
            std::fs::create_dir_all(&dir).map_err(|e| failed(&e))?;
        }
        let (store, root) = object_store::parse_url_opts(&self.url, self.options.clone())
            .map_err(|e| failed(&e))?;
        let objects = PhotoObjects { store, root };
        match objects
            .store
            .head(&objects.root.child("citizen-start-check"))
            .await
        {
            Ok(_) | Err(object_store::Error::NotFound { .. }) => Ok(objects),
            Err(e) => Err(failed(&e)),
        }
    }
}

/// An open photo store: each photo's bytes as one object named by its id.
pub struct PhotoObjects {
    store: Box<dyn ObjectStore>,
    root: Path,
}

impl PhotoObjects {
    fn path(&self, id: &PhotoId) -> Path {
        self.root.child(id.as_str())
    }

    pub async fn put(&self, id: &PhotoId, bytes: Vec<u8>) -> object_store::Result<()> {
        self.store
            .put(&self.path(id), PutPayload::from(bytes))
            .await
            .map(|_| ())
    }

    /// The photo's bytes; `None` when the store has no such object.
    pub async fn get(&self, id: &PhotoId) -> object_store::Result<Option<Bytes>> {
        match self.store.get(&self.path(id)).await {
            Ok(found) => found.bytes().await.map(Some),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Deletes the photo's object; one already gone is not an error.
    pub async fn delete(&self, id: &PhotoId) -> object_store::Result<()> {
        match self.store.delete(&self.path(id)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// The photos whose objects were last written before `before` (an object whose name is not
    /// a photo id is not one of ours, and is left out), as the listing's pages arrive: a caller
    /// holds no more of a large bucket's listing than it asks for at a time.
    pub fn written_before(
        &self,
        before: SystemTime,
    ) -> impl Stream<Item = object_store::Result<PhotoId>> + Send + '_ {
        let before = chrono::DateTime::<chrono::Utc>::from(before);
        self.store
            .list(Some(&self.root))
            .try_filter_map(move |object| async move {
                let id = object
                    .location
                    .filename()
                    .and_then(|name| PhotoId::parse(name).ok());
                Ok(id.filter(|_| object.last_modified < before))
            })
    }

    /// [`PhotoObjects::delete`] for `ids`, each failure logged (what is left is an object no row
    /// names: storage, never a photo anyone can reach).
    pub async fn delete_all(&self, ids: &[PhotoId]) {
        for id in ids {
            if let Err(e) = self.delete(id).await {
                tracing::error!(photo = %id, error = %e, "a deleted photo's object was left in the store");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_store_is_a_directory_or_a_bucket_named_without_secrets() {
        for (given, described) in [
            ("file:///srv/citizen/photos", "file:///srv/citizen/photos"),
            ("file:///srv/citizen/photos/", "file:///srv/citizen/photos/"),
            ("/srv/citizen/photos", "file:///srv/citizen/photos/"),
            ("s3://city-photos", "s3://city-photos"),
            (
                "s3://city-photos/chengdu/2026",
                "s3://city-photos/chengdu/2026",
            ),
        ] {
            let store = PhotoStore::new(given, []).unwrap_or_else(|e| panic!("{given}: {e}"));
            assert_eq!(store.describe(), described);
        }
        for refused in [
            "",
            "photos",
            "srv/citizen/photos",
            "file:///",
            "s3://",
            "gs://city-photos",
            "https://oss.example/city-photos",
            "s3://key:secret@city-photos/p",
            "s3://city-photos/p?access_key_id=key",
        ] {
            assert!(
                PhotoStore::new(refused, []).is_err(),
                "{refused:?} was taken"
            );
        }
    }

    #[tokio::test]
    async fn a_missing_directory_is_made_and_an_object_comes_back_whole() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("shared/photos");
        let url = Url::from_directory_path(&root).unwrap();
        let objects = PhotoStore::new(url.as_str(), [])
            .unwrap()
            .open()
            .await
            .unwrap();
        assert!(root.is_dir());
        let id = PhotoId::from_random([7; 16]);
        assert_eq!(objects.get(&id).await.unwrap(), None);
        objects.put(&id, b"\xFF\xD8 pixels".to_vec()).await.unwrap();
        assert_eq!(
            std::fs::read(root.join(id.as_str())).unwrap(),
            b"\xFF\xD8 pixels"
        );
        assert_eq!(
            objects.get(&id).await.unwrap().unwrap().as_ref(),
            b"\xFF\xD8 pixels"
        );
        objects.delete(&id).await.unwrap();
        objects.delete(&id).await.unwrap();
        assert_eq!(objects.get(&id).await.unwrap(), None);
    }

    #[tokio::test]
    async fn a_directory_that_cannot_be_made_stops_the_start() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a-file");
        std::fs::write(&file, "").unwrap();
        let url = Url::from_directory_path(file.join("photos")).unwrap();
        let refused = PhotoStore::new(url.as_str(), []).unwrap().open().await;
        assert!(refused.is_err_and(|e| e.starts_with("the photo store file://")));
    }
}
