//! The message catalogue: one line per message, Chinese and English side by side, so a message
//! cannot exist in one language only.

use citizen_core::Lang;

macro_rules! messages {
    ($($name:ident => $zh:literal, $en:literal;)*) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Msg { $($name,)* }

        // Two tables indexed by the message, rather than a `match`: a match compiles to code
        // for every arm (7.5 KB in the first-load module), a table to a list of pointers.
        const ZH: &[&str] = &[$($zh,)*];
        const EN: &[&str] = &[$($en,)*];

        impl Msg {
            pub const ALL: &'static [Msg] = &[$(Msg::$name,)*];

            pub fn text(self, lang: Lang) -> &'static str {
                let table = match lang {
                    Lang::ZhCn => ZH,
                    Lang::En => EN,
                };
                table.get(self as usize).copied().unwrap_or_default()
            }
        }
    };
}

messages! {
    SkipToContent => "跳到主要内容", "Skip to main content";
    MainNavigation => "主导航", "Main navigation";
    NavHome => "首页", "Home";
    NavServices => "办事", "Services";
    NavRequests => "诉求", "Requests";
    NavVolunteer => "志愿", "Volunteer";
    NavMe => "我的", "Me";
    Loading => "正在加载…", "Loading…";
    Retry => "重试", "Try again";
    PartLoadFailed => "这部分内容没能加载，可能是网络断了。连上网络后请重试。", "This part of the app could not be loaded, perhaps because the network is down. Try again when you are online.";
    GoHome => "回到首页", "Go to home";
    Back => "返回", "Back";

    SearchLabel => "搜索服务", "Search services";
    SearchPlaceholder => "搜服务，如 公积金、社保、gjj", "Search, e.g. housing fund, 社保, gjj";
    SearchClear => "清除搜索", "Clear search";
    SearchNoResults => "没有找到相关服务，换个词试试", "No services match. Try another word.";
    SearchResults => "搜索结果", "Search results";
    Favourites => "我的收藏", "My favourites";
    FavouritesEmpty => "在服务详情页点「收藏」，常用服务就会出现在这里。", "Tap “Favourite” on a service and it will appear here.";
    Recent => "最近使用", "Recently used";
    Popular => "热门服务", "Popular services";
    Categories => "服务分类", "Categories";
    AllServices => "全部服务", "All services";
    AllCategories => "全部", "All";

    Nearby => "附近服务点", "Service points nearby";
    NearbyIntro => "15 分钟社区生活圈：按步行距离排序。", "Your 15-minute neighbourhood, nearest walk first.";
    UseMyLocation => "使用我的位置", "Use my location";
    Locating => "正在获取位置…", "Finding your location…";
    LocationDenied => "没有获得定位权限。请在下方选择您所在的街道。", "Location permission was not given. Choose your neighbourhood below.";
    LocationUnavailable => "暂时无法获取位置。请在下方选择您所在的街道。", "Your location is not available right now. Choose your neighbourhood below.";
    NeighbourhoodLabel => "我所在的街道", "My neighbourhood";
    NeighbourhoodPrompt => "请选择街道", "Choose a neighbourhood";
    FromMyLocation => "距我的位置", "From my location";
    KindPartyServiceCenter => "党群服务中心", "Party & public service centre";
    KindHealthCenter => "社区卫生服务中心", "Community health centre";
    KindConveniencePoint => "便民服务点", "Convenience service point";
    OpeningHours => "开放时间", "Opening hours";
    CallPoint => "拨打电话", "Call";

    ProvidedBy => "服务提供方", "Provided by";
    Category => "分类", "Category";
    OpenService => "进入服务", "Open service";
    OpensInNewTab => "（将在新窗口打开外部页面）", "(opens an external page in a new tab)";
    CallHotline => "拨打热线", "Call hotline";
    Favourite => "收藏", "Favourite";
    TileNotFound => "没有找到这个服务，它可能已下线。", "This service was not found. It may have been withdrawn.";
    CatalogFailed => "服务目录加载失败。", "The service catalogue could not be loaded.";
    CatalogInvalid => "服务目录数据有误，请联系社区管理员。", "The service catalogue data is broken. Please tell your community administrator.";
    NetworkDown => "网络连接失败，请检查网络后重试。", "Could not connect. Check your network and try again.";
    BackendUnsupported => "该功能的数据来源配置暂不支持，请联系社区管理员。", "This module's configured data source is not supported yet. Please tell your community administrator.";

    NotAvailableTitle => "暂未开放", "Not available yet";
    NotAvailableBody => "这个功能正在建设中，完成后会在这里开放。现在可以先使用「办事」里的服务。", "This part is still being built and will open here when it is ready. Meanwhile, the services under “Services” work.";
    ModuleDisabledTitle => "本社区未开通", "Not offered here";
    ModuleDisabledBody => "您所在的社区没有开通这个功能。", "Your community has not switched this module on.";
    ModuleRequests => "诉求", "Requests";
    ModuleNewRequest => "我要反映", "Report a problem";
    ModuleRequestDetail => "诉求详情", "Request details";
    ModuleVolunteer => "志愿服务", "Volunteering";
    ModuleTimebank => "时间银行", "Time bank";
    ModuleStaff => "工作台", "Staff workspace";

    MeTitle => "我的", "Me";
    Settings => "设置", "Settings";
    Language => "语言", "Language";
    ElderMode => "长辈版（大字）", "Large text (elder mode)";
    ElderModeHint => "字更大、按钮更大、首页更简洁。", "Bigger text, bigger buttons, a simpler home page.";
    MyCommunity => "我的社区", "My community";
    MoreModules => "更多功能", "More";
    Privacy => "隐私", "Privacy";
    PrivacyBody => "收藏、最近使用和设置只保存在本机浏览器中。本应用不使用第三方统计、字体或广告。", "Favourites, recently used services and settings stay in this browser. The app uses no third-party analytics, fonts or ads.";

    Account => "账号", "Account";
    DataStaysOnDevice => "本站点不提供账号登录：您的收藏和设置只保存在这台设备上。", "This site has no accounts: your favourites and settings stay on this device.";
    SignInIntro => "请使用在社区登记的手机号登录。", "Sign in with the mobile number your community has on record.";
    MobileLabel => "手机号", "Mobile number";
    PasswordLabel => "密码", "Password";
    SignIn => "登录", "Sign in";
    SigningIn => "正在登录…", "Signing in…";
    SignOut => "退出登录", "Sign out";
    SigningOut => "正在退出…", "Signing out…";
    MobileEmpty => "请输入手机号", "Enter your mobile number.";
    MobileInvalid => "手机号应为 11 位数字，以 13–19 开头", "A mobile number has 11 digits and starts with 13–19.";
    PasswordEmpty => "请输入密码", "Enter your password.";
    PasswordTooLong => "密码最多 128 个字符", "A password has at most 128 characters.";
    PasswordRefused => "密码不符合要求", "This password is not accepted.";
    InvalidCredentials => "手机号或密码不正确", "The mobile number or password is not correct.";
    TooManyAttempts => "尝试次数过多，请稍后再试", "Too many attempts. Please try again later.";
    ServerUnreachable => "无法连接服务器，请检查网络后重试（您填写的内容已保留）", "Could not reach the server. Check your network and try again (what you typed is kept).";
    ServerFailed => "服务器出错了，请稍后再试", "Something went wrong on the server. Please try again later.";
    SignInUnexpected => "登录没有成功，请稍后再试", "Signing in did not work. Please try again later.";
    SessionExpired => "登录已过期，请重新登录", "Your sign-in has expired. Please sign in again.";
    SignedOutOffline => "已在本机退出登录。暂时无法连接服务器，服务器上的这次登录将在到期后失效。", "Signed out on this device. The server could not be reached, so that sign-in ends there when it expires.";
    Roles => "身份", "Roles";
    RoleResident => "居民", "Resident";
    RoleVolunteer => "志愿者", "Volunteer";
    RoleStaff => "社区工作人员", "Community staff";

    MyRequests => "我的诉求", "My requests";
    NewRequestButton => "提交诉求", "New request";
    RequestsSignIn => "提交和查看诉求需要先登录，这样工作人员才能把处理结果告诉您。", "Sign in to file requests and follow them, so that staff can tell you how they were handled.";
    GoSignIn => "去「我的」登录", "Sign in under “Me”";
    RequestsEmpty => "您还没有提交过诉求。", "You have not filed any requests yet.";
    TrackingNumber => "受理编号", "Tracking number";
    FiledOn => "提交时间", "Filed";
    RequestState => "状态", "Status";
    RequestCategoryLabel => "诉求分类", "Category";
    CategoryPrompt => "请选择分类", "Choose a category";
    CategoryMissing => "请选择诉求分类", "Choose a category.";
    DescriptionLabel => "问题描述", "What is the problem?";
    DescriptionHint => "至少 10 个字：什么问题、在哪里、从什么时候开始。", "At least 10 characters: what, where, since when.";
    DescriptionTooShort => "问题描述至少需要 10 个字", "The description needs at least 10 characters.";
    DescriptionTooLong => "问题描述最多 2000 个字", "The description can have at most 2000 characters.";
    AddressLabel => "地址", "Address";
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
    Submitting => "正在提交…", "Sending…";
    RequestFiled => "诉求已提交", "Your request has been filed";
    RequestFiledBody => "请记下受理编号，可用它查询办理进度：", "Keep this tracking number to follow its progress:";
    ViewRequest => "查看诉求", "View the request";
    BackToRequests => "返回我的诉求", "Back to my requests";
    RequestFieldRefused => "有一项内容不符合要求，请检查后再提交。", "One of the fields was not accepted. Please check it and try again.";
    RequestRefused => "现在不能进行这项操作，诉求的状态可能已经变化，请刷新后再试。", "This cannot be done now: the request's status may have changed. Reload and try again.";
    RequestSupplementsFull => "这条诉求的补充说明已达 20 条上限，如需补充请致电社区服务台。", "This request already has 20 supplements, the most it takes. To add more, call the community service desk.";
    PhotosLabel => "照片（可选，最多 9 张）", "Photos (optional, up to 9)";
    PhotosHint => "照片会先在手机上压缩，再随诉求一起发送。", "Photos are shrunk on this phone, then sent with the request.";
    PhotosProcessing => "正在压缩照片…", "Shrinking photos…";
    PhotoUnreadable => "有一张照片无法读取，请换一张。", "A photo could not be read. Please choose another one.";
    PhotosTooMany => "最多 9 张照片，多出的没有添加。", "Up to 9 photos: the extra ones were not added.";
    PhotoQuotaCount => "24 小时内最多上传 60 张照片，已经用完。诉求保存在本机，过一段时间会自动再发送。", "At most 60 photos can be sent in 24 hours, and they are used up. The request is kept on this phone and is sent by itself later.";
    PhotoQuotaBytes => "24 小时内最多上传 100 MB 照片，已经用完。诉求保存在本机，过一段时间会自动再发送。", "At most 100 MB of photos can be sent in 24 hours, and they are used up. The request is kept on this phone and is sent by itself later.";
    PhotoRateLimited => "照片发送得太快了，稍等一分钟会自动继续。", "Photos are being sent too fast; sending goes on by itself in a minute.";
    PhotoTooManyPixels => "有一张照片太大（一边超过 8000 像素），请删除这条后换一张照片重新提交。", "A photo is too large (over 8,000 pixels on a side). Discard this one and file it again with another photo.";
    RequestQueuedTitle => "已保存在本机，等待发送", "Saved on this phone, waiting to send";
    RequestQueuedBody => "联网后会自动发送，关掉页面也不会丢失。发送成功后会显示受理编号。", "It is sent by itself when the network is back, even if you close this page. The tracking number appears once it has been sent.";
    SendNow => "立即发送", "Send now";
    Discard => "删除", "Discard";
    OutboxHeading => "等待发送", "Waiting to send";
    StateWaitingToSend => "等待发送", "Waiting to send";
    StateNeedsChange => "需要修改", "Needs a change";
    StorageRefused => "这台手机的浏览器不让保存，诉求没有提交。您填写的内容还在。", "This phone's browser refused to save it, so the request was not submitted. What you typed is still here.";
    RequestPhotos => "照片", "Photos";
    StaffNotOnOpen311 => "本社区的诉求由城市的 Open311 系统办理，工作人员请在该系统中处理，这里没有工单。", "This community's requests are handled in the city's Open311 system: staff work them there, so there is no queue here.";
    TimebankTitle => "时间银行", "Time bank";
    TimebankSignIn => "使用时间银行需要先登录，这样记录的服务时间才能存进您的账户。", "Sign in to use the time bank, so that the time you log is banked in your account.";
    TimebankBalance => "我的时间余额", "My banked time";
    TimebankIntro => "帮邻居一小时，就存下一小时；需要帮助时再用，也可以转给家人。", "An hour helping a neighbour banks an hour: spend it when you need help, or give it to family.";
    TimebankLogTitle => "登记我提供的服务", "Log a service I gave";
    TimebankRecipient => "服务对象", "Who you helped";
    TimebankService => "服务类型", "Kind of help";
    TimebankStart => "开始时间", "Started at";
    TimebankDuration => "时长（分钟，15–480）", "Minutes (15–480)";
    TimebankNote => "备注（选填）", "Note (optional)";
    TimebankLogButton => "登记", "Log it";
    TimebankLogged => "已登记。确认后入账：社区公益池支付的由工作人员审核，对方支付的由对方确认。", "Logged. It is credited once confirmed: by staff when the community pool pays, by the recipient when their own hours pay.";
    TimebankPayer => "由谁支付这段时间", "Who pays for this time";
    TimebankPayerPool => "社区公益池", "The community pool";
    TimebankPayerPoolHint => "适合助老等公益服务：由社区为对方支付，社区工作人员审核后入账。每人每月由公益池支付的时长有上限。", "For public-benefit help such as elder care: the community pays on the recipient's behalf, credited after staff approve it. Each member's pool-paid hours are capped per month.";
    TimebankPayerRecipient => "对方自己的时间", "The recipient's own hours";
    TimebankPayerRecipientHint => "对方用自己存下的时间支付给您，对方在时间银行里确认后入账。", "They pay you from the time they have banked; it is credited once they confirm it in their time bank.";
    TimebankWaitingStaff => "等待社区工作人员审核", "Waiting for staff approval";
    TimebankWaitingRecipient => "等待对方确认", "Waiting for the recipient";
    TimebankStartTooOld => "只能登记 30 天内开始的服务。", "Only services that started in the last 30 days can be logged.";
    TimebankStartInFuture => "开始时间不能晚于现在。", "The start cannot be later than now.";
    TimebankPoolCap => "社区公益池每月为每位成员支付的服务时长已达上限。", "The community pool has paid for as many hours of your service as it can this month.";
    TimebankStaffApproves => "由社区公益池支付的服务由社区工作人员审核，服务对象不能确认。", "A service the community pool pays is approved by staff; the person helped cannot confirm it.";
    TimebankRecipientConfirms => "用对方自己的时间支付的服务，只能由对方确认；工作人员只能驳回。", "A service paid from the recipient's own hours is confirmed by the recipient; staff can only reject it.";
    TimebankOwnRecord => "不能审核自己提供或接受的服务。", "Nobody can approve a service they gave or received.";
    TimebankTooMany => "这一小时登记的服务太多了，请稍后再试。", "Too many services logged this hour. Please try again later.";
    TimebankToConfirm => "等我确认的服务", "Services for me to confirm";
    TimebankGiven => "我登记的、等待确认的服务", "Services I logged, waiting for confirmation";
    TimebankNothing => "暂无", "None";
    TimebankConfirm => "确认", "Confirm";
    TimebankReject => "不认可", "Reject";
    TimebankRejectReason => "不认可的原因", "Why reject it?";
    TimebankGiftTitle => "转给家人", "Give to family";
    TimebankGiftTo => "家人", "Family member";
    TimebankGiftMinutes => "分钟数", "Minutes";
    TimebankGiftButton => "转出", "Give";
    TimebankGifted => "已转出。", "Given.";
    TimebankStatement => "收支明细", "Statement";
    TimebankOlder => "更早的记录", "Older entries";
    TimebankReasonService => "服务", "Service";
    TimebankReasonGift => "家人转赠", "Family gift";
    TimebankPool => "社区公益池", "Community pool";
    TimebankNotEnough => "时间余额不足。", "Not enough banked time.";
    TimebankNotFamily => "只能转给已关联的家人。", "Time can only go to a linked family member.";
    TimebankNotFinished => "服务结束后才能登记。", "A service can be logged once it has ended.";
    TimebankNotYourself => "不能给自己登记服务。", "You cannot log a service for yourself.";
    TimebankRefused => "现在不能这样做，记录可能已经变化，请刷新后再试。", "This cannot be done now: the record may have changed. Reload and try again.";
    TimebankNotFound => "没有找到这条记录。", "This record was not found.";
    DemoResidentA => "居民 A · 张明", "Resident A · Zhang Ming";
    DemoResidentB => "居民 B · 王芳", "Resident B · Wang Fang";
    DemoStaff => "社区工作人员 · 刘建国", "Community staff · Liu Jianguo";
    DemoIdentity => "演示身份", "Demo identity";
    DemoIdentityHint => "这是演示版：诉求只保存在这台手机上，不会发给任何人。切换身份可以分别体验居民和工作人员的操作。", "This is a demo: requests stay on this phone and reach nobody. Switch identity to try what residents and staff do.";
    DemoActingAs => "演示身份：", "Demo identity: ";
    RequestPosition => "位置（纬度，经度）", "Position (latitude, longitude)";
    RequestNotFound => "没有找到这个诉求，请核对受理编号。", "This request was not found. Please check the tracking number.";
    Department => "处理部门", "Department";
    Timeline => "办理进度", "Progress";
    WhatYouCanDo => "您可以", "What you can do";
    ActorStaff => "工作人员", "Staff";
    SupplementNoteLabel => "要补充的内容", "What to add";
    ReopenReasonLabel => "重新打开的原因", "Why reopen it?";
    StarsLabel => "满意度", "Satisfaction";
    StarsMissing => "请选择 1 到 5 星", "Choose 1 to 5 stars.";
    CommentLabel => "评价内容（选填）", "Comment (optional)";
    NoteMissing => "请填写内容", "Please write something here.";
    TextTooLong => "内容太长了", "This is too long.";
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

    StaffRequests => "诉求工单", "Request queue";
    StaffRequestsHint => "受理、派单、办结本社区居民的诉求。", "Accept, dispatch and resolve the community's requests.";
    StaffSignIn => "工作台需要用社区工作人员账号登录。", "The staff workspace needs a sign-in with a community staff account.";
    StaffOnly => "工作台仅供社区工作人员使用，您登录的账号不是工作人员账号。", "The staff workspace is for community staff only, and the account you signed in with is not a staff account.";
    Filters => "筛选", "Filter";
    Figures => "统计", "Figures";
    StatsTotal => "诉求总数", "Requests in all";
    ResolutionRate => "办结率", "Resolution rate";
    MeanStars => "平均满意度", "Mean satisfaction";
    MedianHours => "办结用时中位数", "Median time to resolve";
    QueueEmpty => "没有符合条件的诉求。", "No requests match.";
    ContactPhone => "联系电话", "Phone";
    LatestNote => "最新进展", "Latest note";
    RejectReasonLabel => "不予受理的原因", "Why it is not accepted";
    ResolveReplyLabel => "办结回复（居民可见）", "Reply to the resident";
    DoAccept => "受理", "Accept";
    DoReject => "不予受理", "Do not accept";
    DoDispatch => "派单", "Dispatch";
    DoStart => "开始处理", "Start work";
    DoResolve => "办结", "Resolve";
    DoVerify => "核实结项", "Verify and close";

    NotFoundTitle => "页面不存在", "Page not found";
    NotFoundBody => "这个地址没有对应的页面。", "There is no page at this address.";

    ConfigErrorTitle => "无法启动：配置有误", "Cannot start: the configuration has a problem";
    ConfigErrorIntro => "本页面的配置文件 config.json 需要社区管理员修改：", "The page's configuration file, config.json, needs to be fixed by the community administrator:";
    ConfigErrorKey => "配置项", "Key";
    ConfigErrorValue => "当前值", "Value found";
    ConfigErrorExpected => "应为", "Expected";
    ConfigErrorUnknownKey => "不认识的配置项（可能拼写有误）", "Unknown key (perhaps misspelt)";
    ConfigErrorSyntax => "config.json 不是有效的 JSON", "config.json is not valid JSON";
    ConfigErrorNotObject => "config.json 应是一个 JSON 对象 { … }", "config.json must be a JSON object { … }";
    ConfigErrorUnreachable => "无法读取 config.json", "config.json could not be read";
    ExpectText => "非空文字", "non-empty text";
    ExpectLocalizedText => "文字，或 {\"zh\": \"…\", \"en\": \"…\"}", "text, or {\"zh\": \"…\", \"en\": \"…\"}";
    ExpectLanguage => "\"zh-CN\" 或 \"en\"", "\"zh-CN\" or \"en\"";
    ExpectBool => "true 或 false", "true or false";
    ExpectModuleList => "模块列表：services、requests、volunteer、timebank、staff", "a list of modules: services, requests, volunteer, timebank, staff";
    ExpectBackendMap => "形如 {\"services\": \"local\"} 的对象", "an object like {\"services\": \"local\"}";
    ExpectBackendAny => "local、rest 或 open311", "local, rest or open311";
    ExpectBackendNoOpen311 => "local 或 rest", "local or rest";
    ExpectHexColour => "颜色，如 #c8102e", "a colour such as #c8102e";
    ExpectOriginList => "来源列表，如 \"https://host.example\"", "a list of origins such as \"https://host.example\"";
    ExpectRouting => "\"path\"（地址路径）或 \"hash\"（#/ 地址，适合微信等 WebView）", "\"path\" (address paths) or \"hash\" (#/ addresses, for webviews such as WeChat's)";

    // Volunteering: what a refusal means, for everyone.
    VolunteerNotFound => "没有找到这项活动或物品，可能已被删除。", "This activity or item was not found. It may have been removed.";
    RefusalCodeMalformed => "签到码是 6 位数字。", "A check-in code is 6 digits.";
    RefusalCodeExpired => "这个签到码已过期，请输入现场屏幕上正在显示的签到码。", "This check-in code has expired. Type the code showing on the screen now.";
    RefusalCodeWrong => "签到码不对，请核对现场屏幕上的 6 位数字。", "That is not the code for this activity. Check the 6 digits on the screen.";
    RefusalCheckInNotOpen => "还没到签到时间：活动开始前 30 分钟开放签到。", "Check-in has not opened yet: it opens 30 minutes before the start.";
    RefusalCheckInClosed => "活动已结束，签到已关闭。", "The activity has ended, so check-in is closed.";
    RefusalFull => "名额已满。", "There are no places left.";
    RefusalEnded => "活动已结束。", "The activity has ended.";
    RefusalAlreadySignedUp => "您已经报名了这项活动。", "You have already signed up.";
    RefusalNotSignedUp => "您还没有报名这项活动。", "You have not signed up for this activity.";
    RefusalAlreadyCheckedIn => "您已签到，不能再取消报名。", "You have checked in, so the sign-up can no longer be cancelled.";
    RefusalNotCheckedIn => "还没有签到。", "Not checked in yet.";
    RefusalAlreadyCheckedOut => "已经签退过了。", "Already checked out.";
    RefusalAlreadyVerified => "这位志愿者的时长已经核定过，积分只发放一次。", "This volunteer's time was already verified; points are credited once.";
    RefusalSlotsBelowSignups => "已报名的人数多于新的名额，名额不能再少。", "More people have signed up than the new number of places.";
    RefusalTimeLocked => "已有志愿者签到，活动时间不能再改。", "Volunteers have checked in, so the time can no longer change.";
    RefusalOutOfStock => "这件物品已兑完。", "This item is out of stock.";
    RefusalNotEnoughPoints => "积分不够兑换这件物品。", "You do not have enough points for this item.";
    RefusalAlreadyCancelled => "这次兑换已经取消过了。", "This redemption was already cancelled.";
    RefusalNotARedemption => "找不到这次兑换。", "This redemption was not found.";
    RefusalNothingToAward => "核定的时长不足以获得积分。", "The verified time earns no points.";
    RefusalOwnAttendance => "不能核定自己的时长，也不能给自己发积分：请另一位工作人员核定。", "Nobody can verify their own time or award themselves points: ask another staff member to verify it.";
    RefusalZeroMinutes => "核定时长不能是 0 分钟：请填写实际服务的分钟数。", "The verified time cannot be 0 minutes: enter the minutes actually given.";
    RefusalNotCheckedOut => "这位志愿者还没有签退：固定积分要在签退后才能核定。", "This volunteer has not checked out yet: a fixed award is verified after check-out.";
    RefusalHandedOver => "物品已经领走，不能再自行取消：如有问题请联系社区工作人员。", "The item has been collected, so you cannot cancel this yourself. Ask community staff if something is wrong.";
    RefusalAlreadyHandedOver => "这件物品已经发放过了。", "This item was already handed over.";
    RefusalOwnRedemption => "不能给自己发放兑换物品，也不能取消自己已领取的兑换：请另一位工作人员办理。", "You cannot hand over your own redemption or take back one you collected: ask another staff member.";
    RefusalNotYours => "这不是您的兑换，您不能更改它。", "This is not your redemption to change.";

    // Volunteering, the resident's screens (志愿).
    VolunteerIntro => "报名社区志愿活动，到场签到、离开签退，时长核定后获得积分，可在积分商城兑换。", "Sign up for activities, check in and out on site, and earn points once staff verify your time; spend them in the points mall.";
    VolunteerSignIn => "参加志愿活动需要先登录，这样服务时长和积分才能记入您的账户。", "Sign in to volunteer, so that your time and points are credited to your account.";
    VolunteerBack => "返回志愿服务", "Back to volunteering";
    VolunteerMyPoints => "我的积分", "My points";
    VolunteerBalance => "积分余额", "Points balance";
    VolunteerStarLevel => "星级", "Star level";
    VolunteerNoStars => "暂未评星", "No stars yet";
    VolunteerHoursServed => "累计服务时长", "Time served";
    VolunteerPointsHistory => "积分明细", "Points history";
    VolunteerMall => "积分商城", "Points mall";
    VolunteerLeaderboard => "排行榜", "Leaderboard";
    VolunteerActivities => "志愿活动", "Activities";
    VolunteerNoActivities => "暂时没有志愿活动，过几天再来看看。", "No activities for now. Check again in a few days.";
    VolunteerActivity => "活动详情", "Activity";
    VolunteerPhaseUpcoming => "报名中", "Open for sign-up";
    VolunteerPhaseCheckInOpen => "签到中", "Check-in open";
    VolunteerPhaseEnded => "已结束", "Ended";
    VolunteerMineSignedUp => "已报名", "Signed up";
    VolunteerMineCheckedIn => "已签到", "Checked in";
    VolunteerMineCheckedOut => "已签退，待核定", "Checked out, awaiting verification";
    VolunteerMineVerified => "已核定", "Verified";
    VolunteerMineMissed => "未签到", "Did not check in";
    VolunteerTime => "时间", "Time";
    VolunteerPlace => "地点", "Place";
    VolunteerCheckInOpens => "签到开放", "Check-in opens";
    VolunteerSlots => "名额", "Places";
    VolunteerAward => "积分规则", "Points";
    VolunteerAbout => "活动说明", "About";
    VolunteerMyPart => "我的参与", "My part";
    VolunteerSignUp => "报名", "Sign up";
    VolunteerCancelSignUp => "取消报名", "Cancel my sign-up";
    VolunteerCodeLabel => "签到码", "Check-in code";
    VolunteerCodeHint => "输入活动现场屏幕上显示的 6 位数字。签到码每 30 秒更换一次。", "Type the 6 digits shown on the screen at the activity. The code changes every 30 seconds.";
    VolunteerCheckIn => "签到", "Check in";
    VolunteerCheckOut => "签退", "Check out";
    VolunteerSignedUpNotice => "报名成功。活动开始前 30 分钟可在现场签到。", "You are signed up. Check-in opens on site 30 minutes before the start.";
    VolunteerCancelledNotice => "已取消报名，名额已让出。", "Sign-up cancelled; your place is free for someone else.";
    VolunteerCheckedInNotice => "签到成功。离开时请记得签退。", "Checked in. Remember to check out when you leave.";
    VolunteerCheckedOutNotice => "已签退。工作人员核定时长后，积分会记入您的账户。", "Checked out. Your points are credited once staff verify your time.";
    VolunteerWaitForCheckIn => "活动开始前 30 分钟开放签到，到时请在现场输入签到码。", "Check-in opens 30 minutes before the start: type the code on site then.";
    VolunteerAwaiting => "已签退，等待工作人员核定时长，核定后积分自动到账。", "Checked out. Once staff verify your time, the points follow.";
    VolunteerMissed => "活动已结束，您没有签到，这次没有积分。", "The activity has ended and you did not check in, so there are no points this time.";
    VolunteerVerifiedTime => "核定时长", "Verified time";
    VolunteerPointsEarned => "获得积分", "Points earned";
    VolunteerHistoryEmpty => "还没有积分记录。参加活动、时长经核定后，积分就会出现在这里。", "No points yet. Take part in an activity; once your time is verified, the points appear here.";
    VolunteerLineAward => "活动积分", "Activity points";
    VolunteerLineRedeem => "兑换", "Redeemed";
    VolunteerLineCancelRedeem => "取消兑换，积分退回", "Redemption cancelled, points back";
    VolunteerLineCancelled => "已取消", "Cancelled";
    VolunteerBalanceAfter => "余额", "Balance";
    VolunteerStock => "库存", "In stock";
    VolunteerRedeem => "兑换", "Redeem";
    VolunteerOutOfStock => "已兑完，暂时不能兑换。", "Out of stock for now.";
    VolunteerNotEnough => "积分不足，暂时不能兑换。", "Not enough points for this yet.";
    VolunteerConfirmRedeem => "确认兑换", "Yes, redeem";
    VolunteerKeepPoints => "先不兑换", "Not now";
    VolunteerRedeemedNotice => "兑换成功。请到社区党群服务中心领取。", "Redeemed. Collect it at the community service centre.";
    VolunteerMyRedemptions => "我的兑换", "My redemptions";
    VolunteerNoRedemptions => "还没有兑换记录。", "No redemptions yet.";
    VolunteerCancelRedemption => "取消兑换", "Cancel redemption";
    VolunteerRedemptionCancelledNotice => "已取消兑换，积分已退回。", "Redemption cancelled; the points are back.";
    RedemptionWaiting => "待领取", "Waiting to collect";
    RedemptionHandedOver => "已领取", "Handed over";
    RedemptionCancelled => "已取消", "Cancelled";
    RedemptionState => "状态", "Status";
    VolunteerHandedOverNoCancel => "物品已领取，不能再取消兑换。", "The item has been collected, so the redemption can no longer be cancelled.";
    VolunteerMallEmpty => "商城里暂时没有物品。", "Nothing in the mall yet.";
    VolunteerLeaderboardIntro => "按本月获得的积分排名，兑换不影响名次；只显示姓氏，保护隐私。", "Ranked by points earned this month; spending them does not lower a place. Names are shortened for privacy.";
    VolunteerLeaderboardEmpty => "本月还没有人获得积分。", "Nobody has earned points this month yet.";
    VolunteerRank => "名次", "Rank";
    VolunteerName => "志愿者", "Volunteer";
    VolunteerPoints => "积分", "Points";
    VolunteerHours => "时长", "Time";
    VolunteerMe => "我", "Me";

    // Volunteering, the staff's screens (工作台).
    StaffActivities => "活动管理", "Activities";
    StaffActivitiesHint => "发布志愿活动，现场签到，核定时长。", "Plan activities, run check-in, verify the time given.";
    StaffTimebank => "时间银行审核", "Time bank review";
    StaffTimebankHint => "审核由社区公益池支付的服务记录，查看社区公益池。", "Approve or reject the service records the community pool pays; see the pool.";
    StaffApprove => "批准入账", "Approve";
    StaffMall => "积分商城库存", "Points mall stock";
    StaffMallHint => "上架物品，补货。", "Add items and restock them.";
    StaffAllActivities => "全部活动", "All activities";
    StaffNoActivities => "还没有活动。", "No activities yet.";
    StaffActivityNew => "发布新活动", "New activity";
    StaffActivityTitleLabel => "活动名称", "Title";
    StaffActivityPlaceLabel => "地点", "Place";
    StaffActivityDetailsLabel => "活动说明（选填）", "Details (optional)";
    StaffActivityStartLabel => "开始时间（北京时间）", "Starts (China time)";
    StaffActivityEndLabel => "结束时间（北京时间）", "Ends (China time)";
    StaffActivitySlotsLabel => "名额（1–500 人）", "Places (1–500)";
    StaffAwardRuleLabel => "积分规则", "Points awarded";
    StaffAwardPerHour => "按时长计分", "By the hour";
    StaffAwardFixed => "固定积分", "A fixed award";
    StaffAwardPerHourLabel => "每小时积分", "Points per hour";
    StaffAwardCapLabel => "每人最多积分", "Most points per person";
    StaffAwardFixedLabel => "每人积分", "Points per person";
    StaffActivityPublish => "发布活动", "Publish";
    StaffActivityEdit => "修改活动", "Edit the activity";
    StaffActivitySave => "保存修改", "Save changes";
    StaffActivitySaved => "已保存。", "Saved.";
    StaffActivityTitleInvalid => "请填写活动名称，2–60 个字。", "Write a title of 2–60 characters.";
    StaffActivityPlaceInvalid => "请填写地点，2–100 个字。", "Write the place, 2–100 characters.";
    StaffActivityDetailsTooLong => "活动说明不能超过 1000 个字。", "The details can be at most 1,000 characters.";
    StaffStartMissing => "请选择开始的日期和时间。", "Choose the start date and time.";
    StaffEndMissing => "请选择结束的日期和时间。", "Choose the end date and time.";
    StaffEndBeforeStart => "结束时间要晚于开始时间。", "The end must come after the start.";
    StaffSlotsInvalid => "名额请填 1 到 500 的整数。", "Places: a whole number from 1 to 500.";
    StaffPointsInvalid => "积分请填 1 到 1000000 的整数。", "Points: a whole number from 1 to 1,000,000.";
    StaffPhaseUpcoming => "未开始", "Upcoming";
    StaffPhaseCheckInOpen => "签到中", "Check-in open";
    StaffPhaseEnded => "已结束", "Ended";
    StaffOpenCheckIn => "打开签到屏", "Open the check-in screen";
    StaffAttendees => "报名的志愿者", "Volunteers signed up";
    StaffNoAttendees => "还没有人报名。", "Nobody has signed up yet.";
    StaffSignedUpAt => "报名", "Signed up";
    StaffCheckedInAt => "签到", "Checked in";
    StaffCheckedOutAt => "签退", "Checked out";
    StaffSuggestedTime => "建议时长", "Suggested time";
    StaffVerifyMinutesLabel => "核定时长（分钟）", "Time to verify (minutes)";
    StaffDoVerifyTime => "核定", "Verify";
    StaffVerifiedTime => "核定时长", "Verified time";
    StaffPointsCredited => "已发积分", "Points credited";
    StaffMinutesInvalid => "时长请填 1 到 1440 的整数（分钟）。", "Minutes: a whole number from 1 to 1,440.";
    StaffCheckInCode => "签到码", "Check-in code";
    StaffCheckInHint => "志愿者请在手机上打开本活动，输入下面的 6 位签到码。", "Volunteers: open this activity on your phone and type the 6 digits below.";
    StaffCheckInQr => "签到码的二维码", "The check-in code as a QR code";
    StaffCheckInOpensAt => "签到开放时间", "Check-in opens";
    StaffExit => "退出", "Exit";
    StaffPoolBalance => "社区公益池余额", "Community pool balance";
    StaffMembersTotal => "居民余额合计", "Members' balances in all";
    StaffSumOfAccounts => "全部账户合计（应为 0）", "All accounts summed (always 0)";
    StaffRecordsPending => "待审核记录", "Records waiting";
    StaffRecordsConfirmed => "已确认记录", "Records confirmed";
    StaffRecordsRejected => "已驳回记录", "Records rejected";
    StaffPendingRecords => "待审核的服务记录", "Service records to review";
    StaffNoPendingRecords => "没有待审核的记录。", "No records to review.";
    StaffMemberBalances => "居民时间余额", "Members' banked time";
    StaffReject => "驳回", "Reject";
    StaffRejectReason => "驳回原因", "Why it is rejected";
    StaffRecordConfirmed => "已批准，时间已入账。", "Approved: the time is banked.";
    StaffRecordRejected => "已驳回。", "Rejected.";
    StaffMallItems => "物品", "Items";
    StaffRedemptionsWaiting => "待领取的兑换", "Redemptions waiting to be collected";
    StaffNoRedemptionsWaiting => "没有待领取的兑换。", "No redemptions are waiting to be collected.";
    StaffRedeemedBy => "兑换人", "Redeemed by";
    StaffRedeemedAt => "兑换时间", "Redeemed on";
    StaffHandOver => "登记领取", "Handed over";
    StaffHandedOverNotice => "已登记为领取。", "Marked as handed over.";
    StaffCancelRedemption => "取消兑换并退回积分", "Cancel and return the points";
    StaffRedemptionCancelledNotice => "已取消兑换，积分和库存已退回。", "Redemption cancelled; the points and the stock are back.";
    StaffCannotVerifySelf => "这是您自己的参与记录，需由另一位工作人员核定。", "This is your own attendance: another staff member verifies it.";
    StaffMallEmpty => "商城里还没有物品。", "The mall has no items yet.";
    StaffItemPrice => "所需积分", "Price in points";
    StaffItemStock => "库存", "In stock";
    StaffRestockLabel => "补货数量", "How many to add";
    StaffDoRestock => "补货", "Restock";
    StaffRestocked => "已补货。", "Restocked.";
    StaffQuantityInvalid => "数量请填 1 到 10000 的整数。", "Quantity: a whole number from 1 to 10,000.";
    StaffAddItem => "上架新物品", "Add an item";
    StaffItemNameLabel => "物品名称", "Name";
    StaffItemDetailsLabel => "物品说明（选填）", "Details (optional)";
    StaffItemStockLabel => "初始库存", "Stock to start with";
    StaffDoAddItem => "上架", "Add";
    StaffItemAdded => "已上架。", "Added.";
    StaffItemNameInvalid => "请填写物品名称，2–40 个字。", "Write a name of 2–40 characters.";
    StaffItemDetailsTooLong => "物品说明不能超过 200 个字。", "The details can be at most 200 characters.";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_has_text_in_every_language() {
        for msg in Msg::ALL {
            for lang in Lang::ALL {
                assert!(
                    !msg.text(lang).trim().is_empty(),
                    "{msg:?} is empty in {lang:?}"
                );
            }
        }
    }
}
