//! The home page's nearby section's messages (附近服务点).
//!
//! How messages are declared: [`crate::i18n::messages!`].

crate::i18n::messages! {
    Nearby => "附近服务点", "Service points nearby";
    NearbyIntro => "15 分钟社区生活圈：按步行距离排序。", "Your 15-minute neighbourhood, nearest walk first.";
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
}
