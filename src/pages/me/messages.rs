//! The 我的 screens' messages (sign-in, sign-up and a new password by SMS code, the signed-in
//! card, settings, the demo identity). They load with the `me` chunk.
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

    SignUpLink => "注册新账号", "Create an account";
    ForgotPasswordLink => "忘记密码？", "Forgot your password?";
    HaveAccount => "已有账号？去登录", "Have an account? Sign in";
    BackToSignIn => "返回登录", "Back to sign-in";
    BackToMe => "返回「我的」", "Back to “Me”";

    SignUpTitle => "注册新账号", "Create an account";
    SignUpIntro => "用手机号和短信验证码注册。注册后就可以提交诉求、参加志愿活动。", "Sign up with your mobile number and a code sent to it by text message. Then you can file requests and volunteer.";
    SignUpUnavailable => "本社区暂未开放自助注册，请联系社区工作人员为您开通账号。", "This community does not offer sign-up here yet. Ask community staff to open an account for you.";
    AlreadySignedIn => "您已经登录。如需注册其他账号或重设密码，请先在「我的」退出登录。", "You are signed in. To create another account or reset a password, sign out under “Me” first.";
    SmsCodeLabel => "短信验证码", "Code from the text message";
    GetSmsCode => "获取验证码", "Get a code";
    GetSmsCodeAgain => "重新获取验证码", "Send a new code";
    SendingSmsCode => "正在发送…", "Sending…";
    SmsCodeSentSignUp => "如果这个号码可以注册，验证码已经发出，5 分钟内有效。", "If this number can sign up, a code is on its way. It works for 5 minutes.";
    SmsCodeSentReset => "如果这个号码有账号，验证码已经发出，5 分钟内有效。", "If this number has an account, a code is on its way. It works for 5 minutes.";
    SmsCodeEmpty => "请输入短信验证码", "Enter the code from the text message.";
    SmsCodeMalformed => "验证码是 6 位数字", "The code is 6 digits.";
    SmsCodeRefused => "验证码不对或已失效。请核对短信里的 6 位数字，或重新获取验证码。", "That code is wrong or no longer valid. Check the 6 digits in the text message, or ask for a new code.";
    NameLabel => "姓名或称呼", "Your name";
    NameHint => "社区工作人员和志愿者看到的名字，最多 40 个字。", "The name community staff and volunteers see, up to 40 characters.";
    NameEmpty => "请填写姓名或称呼", "Enter your name.";
    NameTooLong => "姓名最多 40 个字", "A name has at most 40 characters.";
    NameRefused => "这个姓名不符合要求", "This name is not accepted.";
    ChoosePasswordLabel => "设置密码", "Choose a password";
    NewPasswordLabel => "新密码", "New password";
    NewPasswordHint => "至少 8 个字符，不能全是数字。", "At least 8 characters, not only digits.";
    NewPasswordTooShort => "密码至少 8 个字符", "A password has at least 8 characters.";
    NewPasswordOnlyDigits => "密码不能全是数字", "A password cannot be only digits.";
    CommunityLabel => "所在社区", "Community";
    CommunityUnknown => "服务器上还没有本社区，暂时不能注册。请告诉社区工作人员。", "The server does not know this community yet, so sign-up does not work. Please tell community staff.";
    SignUpSubmit => "注册并登录", "Create account and sign in";
    SigningUp => "正在注册…", "Creating your account…";
    SignUpWelcome => "注册成功，已为您登录。", "Your account is ready and you are signed in.";

    ResetTitle => "重设密码", "Reset your password";
    ResetIntro => "我们会给您的手机号发送验证码，凭验证码设置新密码。设置后，所有设备上的登录都会退出。", "We send a code to your mobile number; with it you choose a new password. Every sign-in of the account then ends, on every device.";
    ResetSubmit => "设置新密码", "Set the new password";
    Resetting => "正在设置…", "Saving…";
    PasswordUpdated => "密码已更新，请用新密码登录。", "Your password has been changed. Sign in with the new one.";
}
