//! Requests (诉求): the closed loop from a resident's report to a rated result. The state machine,
//! the taxonomy with each category's default department, tracking numbers and the timeline live
//! here once; every backend (in-browser, the server, Open311) applies the same rules.

mod category;
mod machine;
mod photo;
mod record;
mod tracking;
mod wire;

pub use category::{CATEGORIES, Category, CategoryCode, Department};
pub use machine::{
    Actor, ActorRole, Command, CommandKind, Comment, MAX_SUPPLEMENTS, Note, REOPEN_WINDOW_SECS,
    RequestState, Stars, TimelineEvent, TransitionError, Workflow,
};
pub use photo::{
    MAX_IMAGE_SIDE, MAX_PHOTO_BYTES, MAX_PHOTO_BYTES_PER_DAY, MAX_PHOTO_SIDE, MAX_PHOTOS,
    MAX_PHOTOS_PER_DAY, ORPHAN_PHOTO_SECS, PHOTO_QUOTA_WINDOW_SECS, PHOTO_UPLOAD_WINDOW_SECS,
    PHOTO_UPLOADS_PER_MINUTE, PastUpload, PhotoId, PhotoIdError, PhotoKind, PhotoLimit,
    PhotoRefusal, PhotoUploaded, check_dimensions, check_quota, fitted_size, is_orphan_expired,
};
pub use record::{CommandError, Reader, RequestRecord, statistics};
pub use tracking::{TrackingError, TrackingNumber};
pub use wire::{
    Address, CityDetails, CommandBody, FieldError, NewRequest, RequestStats, RequestView,
    StateCount,
};
