//! The 我的 screen's messages (sign-in, the signed-in card, settings, the demo identity). They
//! load with the `me` chunk.
//!
//! How messages are declared: [`crate::i18n::messages!`].

crate::i18n::messages! {
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
    PasswordEmpty => "请输入密码", "Enter your password.";
    PasswordTooLong => "密码最多 128 个字符", "A password has at most 128 characters.";
    Roles => "身份", "Roles";
    RoleVolunteer => "志愿者", "Volunteer";
    RoleStaff => "社区工作人员", "Community staff";

    DemoIdentity => "演示身份", "Demo identity";
    DemoIdentityHint => "这是演示版：诉求只保存在这台手机上，不会发给任何人。切换身份可以分别体验居民和工作人员的操作。", "This is a demo: requests stay on this phone and reach nobody. Switch identity to try what residents and staff do.";
}
