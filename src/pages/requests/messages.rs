//! The requests screens' messages (诉求: the list, the new-request form, one request). They load
//! with the `requests` chunk.
//!
//! How messages are declared: [`crate::i18n::messages!`].

crate::i18n::messages! {
    ModuleNewRequest => "我要反映", "Report a problem";
    ModuleRequestDetail => "诉求详情", "Request details";

    MyRequests => "我的诉求", "My requests";
    NewRequestButton => "提交诉求", "New request";
    RequestsSignIn => "提交和查看诉求需要先登录，这样工作人员才能把处理结果告诉您。", "Sign in to file requests and follow them, so that staff can tell you how they were handled.";
    RequestsEmpty => "您还没有提交过诉求。", "You have not filed any requests yet.";
    FiledOn => "提交时间", "Filed";
    CategoryMissing => "请选择诉求分类", "Choose a category.";
    DescriptionLabel => "问题描述", "What is the problem?";
    DescriptionHint => "至少 10 个字：什么问题、在哪里、从什么时候开始。", "At least 10 characters: what, where, since when.";
    DescriptionTooShort => "问题描述至少需要 10 个字", "The description needs at least 10 characters.";
    DescriptionTooLong => "问题描述最多 2000 个字", "The description can have at most 2000 characters.";
    AddressHint => "如：玉林北路 3 号 2 单元。也可以使用您当前的位置。", "For example: 3 Yulin North Road, unit 2. Or use your current location.";
    AddressMissing => "请填写地址，或使用我的位置", "Enter an address, or use your location.";
    AddressInvalid => "地址应为 2 到 200 个字", "An address has 2 to 200 characters.";
    LocationAttached => "已附上您当前的位置。", "Your current location is attached.";
    RemoveLocation => "不使用位置", "Remove location";
    RequestLocationDenied => "没有获得定位权限，请填写地址。", "Location permission was not given. Please type the address.";
    RequestLocationUnavailable => "暂时无法获取位置，请填写地址。", "Your location is not available right now. Please type the address.";
    ContactLabel => "联系电话（选填）", "Phone to call you back (optional)";
    ContactHint => "仅社区工作人员可见，用于回电。", "Only community staff can see it, to call you back.";
    Anonymous => "匿名", "Anonymous";
    AnonymousHint => "不留电话；处理部门看不到您是谁，只有社区受理人员知道。", "No phone is sent; the departments handling it do not see who you are, only the community's intake staff do.";
    DraftHint => "填写的内容会自动保存在本机，刷新页面也不会丢失。", "What you type is saved on this device as you go, even if the page reloads.";
    Submit => "提交", "Submit";
    RequestFiled => "诉求已提交", "Your request has been filed";
    RequestFiledBody => "请记下受理编号，可用它查询办理进度：", "Keep this tracking number to follow its progress:";
    ViewRequest => "查看诉求", "View the request";
    BackToRequests => "返回我的诉求", "Back to my requests";
    PhotosLabel => "照片（可选，最多 9 张）", "Photos (optional, up to 9)";
    PhotosHint => "照片会先在手机上压缩，再随诉求一起发送。", "Photos are shrunk on this phone, then sent with the request.";
    PhotosProcessing => "正在压缩照片…", "Shrinking photos…";
    PhotoUnreadable => "有一张照片无法读取，请换一张。", "A photo could not be read. Please choose another one.";
    PhotosTooMany => "最多 9 张照片，多出的没有添加。", "Up to 9 photos: the extra ones were not added.";
    RequestQueuedTitle => "已保存在本机，等待发送", "Saved on this phone, waiting to send";
    RequestQueuedBody => "联网后会自动发送，关掉页面也不会丢失。发送成功后会显示受理编号。", "It is sent by itself when the network is back, even if you close this page. The tracking number appears once it has been sent.";
    SendNow => "立即发送", "Send now";
    Discard => "删除", "Discard";
    DiscardFailed => "这台手机的浏览器没能删除它，请再试一次。", "This phone's browser could not discard it. Please try again.";
    OutboxHeading => "等待发送", "Waiting to send";
    StateWaitingToSend => "等待发送", "Waiting to send";
    StateNeedsChange => "需要修改", "Needs a change";
    StorageRefused => "这台手机的浏览器不让保存，诉求没有提交。您填写的内容还在。", "This phone's browser refused to save it, so the request was not submitted. What you typed is still here.";
    RequestPhotos => "照片", "Photos";
    RequestPosition => "位置（纬度，经度）", "Position (latitude, longitude)";
    Timeline => "办理进度", "Progress";
    WhatYouCanDo => "您可以", "What you can do";
    ActorStaff => "工作人员", "Staff";
    SupplementNoteLabel => "要补充的内容", "What to add";
    ReopenReasonLabel => "重新打开的原因", "Why reopen it?";
    StarsLabel => "满意度", "Satisfaction";
    StarsMissing => "请选择 1 到 5 星", "Choose 1 to 5 stars.";
    CommentLabel => "评价内容（选填）", "Comment (optional)";
    StateSubmitted => "已提交", "Submitted";
    StateAccepted => "已受理", "Accepted";
    StateRejected => "不予受理", "Not accepted";
    StateDispatched => "已派单", "Dispatched";
    StateInProgress => "处理中", "In progress";
    StateResolved => "已办结", "Resolved";
    StateClosed => "已结案", "Closed";
    StateRated => "已评价", "Rated";
    StateWithdrawn => "已撤回", "Withdrawn";
    CmdSubmit => "提交诉求", "Filed";
    CmdAccept => "受理", "Accepted";
    CmdReject => "不予受理", "Not accepted";
    CmdDispatch => "派单", "Dispatched";
    CmdStart => "开始处理", "Work started";
    CmdResolve => "办结回复", "Resolved with a reply";
    CmdConfirm => "确认解决", "Confirm it is solved";
    CmdVerify => "核实结项", "Verified and closed";
    CmdRate => "评价", "Rate";
    CmdReopen => "重新打开", "Reopen";
    CmdWithdraw => "撤回", "Withdraw";
    CmdSupplement => "补充说明", "Add details";
}
