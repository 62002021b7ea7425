//! Interface messages: one line per message, Chinese and English side by side, so a message
//! cannot exist in one language only.
//!
//! Messages live with their screens. Each group of screens split into its own wasm chunk
//! (`src/pages/lazy.rs`) declares its messages next to its code: `src/pages/<group>/messages.rs`,
//! `src/pages/config_error_messages.rs`. This file (and the home page's nearby section's
//! `src/pages/home/nearby_messages.rs`) holds the first load's: the shell's, the home page's and
//! search's, and those used in more than one place (the backends' failures, shared components).
//! A message's text is data referenced only by the code that shows it, so wasm-split
//! (`tools/bundle.mjs`) ships a chunk's messages in that chunk, not in the first load. A message
//! used by two chunks belongs here; the compiler refuses one name declared in two tables.

use citizen_core::Lang;

/// One message: its text in Chinese and in English. Every message is one of the associated
/// constants the [`messages!`] tables declare (`Msg::SignIn`), all of one type, so views, fields
/// and errors hold any screen's message alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Msg(#[doc(hidden)] pub(crate) &'static [&'static str; 2]);

impl Msg {
    pub fn text(self, lang: Lang) -> &'static str {
        match lang {
            Lang::ZhCn => self.0[0],
            Lang::En => self.0[1],
        }
    }
}

/// Declares a table of messages, `Name => "中文", "English";` one a line, as associated constants
/// of [`Msg`], with a test that each has text in every language.
macro_rules! messages {
    ($($name:ident => $zh:literal, $en:literal;)*) => {
        #[allow(non_upper_case_globals, reason = "messages are named like the variants they were")]
        impl $crate::i18n::Msg {
            $(pub const $name: Self = Self(&[$zh, $en]);)*
        }

        #[cfg(test)]
        mod message_tests {
            #[test]
            fn every_message_has_text_in_every_language() {
                $crate::i18n::assert_complete(&[$((stringify!($name), $crate::i18n::Msg::$name),)*]);
            }
        }
    };
}
pub(crate) use messages;

/// Fails when a message of `table` is empty in some language.
#[cfg(test)]
pub(crate) fn assert_complete(table: &[(&str, Msg)]) {
    for (name, msg) in table {
        for lang in Lang::ALL {
            assert!(
                !msg.text(lang).trim().is_empty(),
                "{name} is empty in {lang:?}"
            );
        }
    }
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
    AllCategories => "全部", "All";

    UseMyLocation => "使用我的位置", "Use my location";
    Locating => "正在获取位置…", "Finding your location…";

    CatalogFailed => "服务目录加载失败。", "The service catalogue could not be loaded.";
    CatalogInvalid => "服务目录数据有误，请联系社区管理员。", "The service catalogue data is broken. Please tell your community administrator.";
    NetworkDown => "网络连接失败，请检查网络后重试。", "Could not connect. Check your network and try again.";
    BackendUnsupported => "该功能的数据来源配置暂不支持，请联系社区管理员。", "This module's configured data source is not supported yet. Please tell your community administrator.";

    NotAvailableTitle => "暂未开放", "Not available yet";
    NotAvailableBody => "这个功能正在建设中，完成后会在这里开放。现在可以先使用「办事」里的服务。", "This part is still being built and will open here when it is ready. Meanwhile, the services under “Services” work.";
    ModuleDisabledTitle => "本社区未开通", "Not offered here";
    ModuleDisabledBody => "您所在的社区没有开通这个功能。", "Your community has not switched this module on.";
    ModuleRequests => "诉求", "Requests";
    ModuleVolunteer => "志愿服务", "Volunteering";
    ModuleTimebank => "时间银行", "Time bank";
    ModuleStaff => "工作台", "Staff workspace";

    MobileInvalid => "手机号应为 11 位数字，以 13–19 开头", "A mobile number has 11 digits and starts with 13–19.";
    PasswordRefused => "密码不符合要求", "This password is not accepted.";
    InvalidCredentials => "手机号或密码不正确", "The mobile number or password is not correct.";
    TooManyAttempts => "尝试次数过多，请稍后再试", "Too many attempts. Please try again later.";
    ServerUnreachable => "无法连接服务器，请检查网络后重试（您填写的内容已保留）", "Could not reach the server. Check your network and try again (what you typed is kept).";
    ServerFailed => "服务器出错了，请稍后再试", "Something went wrong on the server. Please try again later.";
    SignInUnexpected => "登录没有成功，请稍后再试", "Signing in did not work. Please try again later.";
    SessionExpired => "登录已过期，请重新登录", "Your sign-in has expired. Please sign in again.";
    // Said by the bridge's chunk (to the host) and by 我的 (to the person).
    HostSignInRefused => "应用传来的登录已失效，请返回应用重新进入。", "The sign-in handed over by the app is no longer valid. Go back to the app and open this page again.";
    SignedOutOffline => "已在本机退出登录。暂时无法连接服务器，服务器上的这次登录将在到期后失效。", "Signed out on this device. The server could not be reached, so that sign-in ends there when it expires.";
    RoleResident => "居民", "Resident";

    GoSignIn => "去「我的」登录", "Sign in under “Me”";
    RequestCategoryLabel => "诉求分类", "Category";
    CategoryPrompt => "请选择分类", "Choose a category";
    AddressLabel => "地址", "Address";
    Submitting => "正在提交…", "Sending…";
    RequestFieldRefused => "有一项内容不符合要求，请检查后再提交。", "One of the fields was not accepted. Please check it and try again.";
    RequestRefused => "现在不能进行这项操作，诉求的状态可能已经变化，请刷新后再试。", "This cannot be done now: the request's status may have changed. Reload and try again.";
    RequestSupplementsFull => "这条诉求的补充说明已达 20 条上限，如需补充请致电社区服务台。", "This request already has 20 supplements, the most it takes. To add more, call the community service desk.";
    PhotoQuotaCount => "24 小时内最多上传 60 张照片，已经用完。诉求保存在本机，过一段时间会自动再发送。", "At most 60 photos can be sent in 24 hours, and they are used up. The request is kept on this phone and is sent by itself later.";
    PhotoQuotaBytes => "24 小时内最多上传 100 MB 照片，已经用完。诉求保存在本机，过一段时间会自动再发送。", "At most 100 MB of photos can be sent in 24 hours, and they are used up. The request is kept on this phone and is sent by itself later.";
    PhotoRateLimited => "照片发送得太快了，稍等一分钟会自动继续。", "Photos are being sent too fast; sending goes on by itself in a minute.";
    PhotoTooManyPixels => "有一张照片太大（一边超过 8000 像素），请删除这条后换一张照片重新提交。", "A photo is too large (over 8,000 pixels on a side). Discard this one and file it again with another photo.";
    StaffNotOnOpen311 => "本社区的诉求由城市的 Open311 系统办理，工作人员请在该系统中处理，这里没有工单。", "This community's requests are handled in the city's Open311 system: staff work them there, so there is no queue here.";
    TimebankWaitingStaff => "等待社区工作人员审核", "Waiting for staff approval";
    TimebankWaitingRecipient => "等待对方确认", "Waiting for the recipient";
    TimebankStartTooOld => "只能登记 30 天内开始的服务。", "Only services that started in the last 30 days can be logged.";
    TimebankStartInFuture => "开始时间不能晚于现在。", "The start cannot be later than now.";
    TimebankPoolCap => "社区公益池每月为每位成员支付的服务时长已达上限。", "The community pool has paid for as many hours of your service as it can this month.";
    TimebankStaffApproves => "由社区公益池支付的服务由社区工作人员审核，服务对象不能确认。", "A service the community pool pays is approved by staff; the person helped cannot confirm it.";
    TimebankRecipientConfirms => "用对方自己的时间支付的服务，只能由对方确认；工作人员只能驳回。", "A service paid from the recipient's own hours is confirmed by the recipient; staff can only reject it.";
    TimebankOwnRecord => "不能审核自己提供或接受的服务。", "Nobody can approve a service they gave or received.";
    TimebankTooMany => "这一小时登记的服务太多了，请稍后再试。", "Too many services logged this hour. Please try again later.";
    TimebankNotEnough => "时间余额不足。", "Not enough banked time.";
    TimebankNotFamily => "只能转给已关联的家人。", "Time can only go to a linked family member.";
    TimebankNotFinished => "服务结束后才能登记。", "A service can be logged once it has ended.";
    TimebankNotYourself => "不能给自己登记服务。", "You cannot log a service for yourself.";
    TimebankRefused => "现在不能这样做，记录可能已经变化，请刷新后再试。", "This cannot be done now: the record may have changed. Reload and try again.";
    TimebankNotFound => "没有找到这条记录。", "This record was not found.";
    DemoResidentA => "居民 A · 张明", "Resident A · Zhang Ming";
    DemoResidentB => "居民 B · 王芳", "Resident B · Wang Fang";
    DemoStaff => "社区工作人员 · 刘建国", "Community staff · Liu Jianguo";
    RequestNotFound => "没有找到这个诉求，请核对受理编号。", "This request was not found. Please check the tracking number.";
    Department => "处理部门", "Department";
    NoteMissing => "请填写内容", "Please write something here.";
    TextTooLong => "内容太长了", "This is too long.";

    StaffOnly => "工作台仅供社区工作人员使用，您登录的账号不是工作人员账号。", "The staff workspace is for community staff only, and the account you signed in with is not a staff account.";

    NotFoundTitle => "页面不存在", "Page not found";
    NotFoundBody => "这个地址没有对应的页面。", "There is no page at this address.";

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
}
