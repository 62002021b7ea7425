//! The services screens' messages (办事: every tile, one tile). They load with the `services`
//! chunk.
//!
//! How messages are declared: [`crate::i18n::messages!`].

crate::i18n::messages! {
    AllServices => "全部服务", "All services";

    ProvidedBy => "服务提供方", "Provided by";
    Category => "分类", "Category";
    OpenService => "进入服务", "Open service";
    OpensInNewTab => "（将在新窗口打开外部页面）", "(opens an external page in a new tab)";
    CallHotline => "拨打热线", "Call hotline";
    Favourite => "收藏", "Favourite";
    TileNotFound => "没有找到这个服务，它可能已下线。", "This service was not found. It may have been withdrawn.";
}
