//! The configuration error page's messages. They load with the `config_error` chunk.
//!
//! How messages are declared: [`crate::i18n::messages!`].

crate::i18n::messages! {
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
    ExpectEndpointUrl => "https:// 开头的地址，如 https://city.example/open311/v2/", "an https:// address such as https://city.example/open311/v2/";
    ExpectRouting => "\"path\"（地址路径）或 \"hash\"（#/ 地址，适合微信等 WebView）", "\"path\" (address paths) or \"hash\" (#/ addresses, for webviews such as WeChat's)";
}
