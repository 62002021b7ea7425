//! The time bank's messages (时间银行). They load with the `timebank` chunk.
//!
//! How messages are declared: [`crate::i18n::messages!`].

crate::i18n::messages! {
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
    TimebankReasonService => "服务", "Service";
    TimebankReasonGift => "家人转赠", "Family gift";
    TimebankPool => "社区公益池", "Community pool";
}
