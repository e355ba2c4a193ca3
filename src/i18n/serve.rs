//! What the server says, in Chinese and English (the language the screens detect).

use crate::i18n::Lang;

pub struct ServeTexts {
    pub title: fn(port: u16) -> String,
    pub addresses: &'static str,
    pub no_address: &'static str,
    pub fingerprint: fn(fingerprint: &str) -> String,
    pub fingerprint_hint: &'static str,
    pub how: &'static str,
    pub windows: &'static str,
    pub mac: &'static str,
    pub linux: &'static str,
    pub judge_line: fn(port: u16, host: &str) -> String,
    pub organiser_line: fn(port: u16, host: &str) -> String,
    pub show_line: fn(port: u16, host: &str, code: &str) -> String,
    pub limits: fn(idle_minutes: u64, max_sessions: usize) -> String,
    pub stop: &'static str,
    /// The keyboard-interactive prompt.
    pub prompt: &'static str,
    pub no_pty: &'static str,
    pub full: fn(max: usize) -> String,
    pub replaced: &'static str,
    pub idle: fn(minutes: u64) -> String,
    pub shutdown: &'static str,
    pub one_screen: &'static str,
    /// The organiser ended the session from the console.
    pub ended: &'static str,
    // Issue 17 (helper zhlast): what the server says on its own terminal.
    /// `--allow-shared-file`: the workspace (or its -wal/-shm) stays readable by others.
    pub shared_file_warning: fn(path: &str, why: &str) -> String,
    /// The local socket's path is too long: other terminals' commands write themselves.
    pub socket_too_long: fn(path: &str) -> String,
    /// A login could not be checked (the error, already in this language).
    pub login_unchecked: fn(error: &str) -> String,
    /// A session's screen could not start (the error, already in this language).
    pub session_failed: fn(error: &str) -> String,
    /// A mode the workspace's file keeps, for `shared_file_warning` and its refusal.
    pub stays_mode: fn(mode: &str) -> String,
    /// A forwarded request on the local socket that cannot be read (the reader's detail).
    pub request_unreadable: fn(detail: &str) -> String,
    /// The server cannot start a thread for another forwarded command.
    pub no_more_commands: &'static str,
    /// Why the server disconnects its SSH clients when it stops.
    pub stopping: &'static str,
}

pub fn texts(lang: Lang) -> &'static ServeTexts {
    match lang {
        Lang::Zh => &ZH,
        Lang::En => &EN,
    }
}

static EN: ServeTexts = ServeTexts {
    title: |port| format!("jury serve: the meeting room is open on port {port}."),
    addresses: "Addresses the judges can use:",
    no_address: "  (no network address found: connect this computer to the room's network)",
    fingerprint: |f| format!("Host key fingerprint: {f}"),
    fingerprint_hint: "  The first time, ssh asks whether to trust this key: go on only if it shows this fingerprint.",
    how: "How to connect (user = the judge's id, password = the judge's PIN):",
    windows: "Windows 10/11 (Windows Terminal, or PowerShell):",
    mac: "macOS (Terminal):",
    linux: "Linux (a terminal):",
    judge_line: |port, host| format!("ssh -p {port} PW01@{host}"),
    organiser_line: |port, host| {
        format!("  Organiser's console: ssh -p {port} organiser@{host} (the organiser passphrase)")
    },
    show_line: |port, host, code| {
        format!("  Projector: ssh -p {port} show@{host}, projector code {code} (new at every start)")
    },
    limits: |idle, max| format!("Idle sessions end after {idle} minutes; at most {max} sessions at once."),
    stop: "Stop the server with Ctrl-C. Every accepted score is already saved.",
    prompt: "Password (PIN): ",
    no_pty: "This server shows only the judging screen, which needs a terminal: connect with ssh -t (and no command).",
    full: |max| format!("The room is full ({max} sessions); try again in a moment."),
    replaced: "You logged in again from another computer: this session has ended.",
    idle: |m| format!("No key for {m} minutes: this session has ended. Connect again to go on."),
    shutdown: "The server is stopping: this session has ended.",
    one_screen: "Only one screen per connection.",
    ended: "The organiser ended this session. Connect again if you need to go on.",
    shared_file_warning: |path, why| {
        format!(
            "warning: {path} cannot be made readable by its owner only ({why}): other accounts could read the \
             judges' scores and PIN hashes (--allow-shared-file)"
        )
    },
    socket_too_long: |path| {
        format!(
            "warning: {path} is too long a name for a local socket: while serve runs, commands typed in another \
             terminal write to the workspace themselves (a workspace in a folder with a shorter path has them \
             carried out by the server)"
        )
    },
    login_unchecked: |e| format!("jury serve: a login could not be checked: {e}"),
    session_failed: |e| format!("jury serve: a session could not start: {e}"),
    stays_mode: |mode| format!("it stays mode {mode}"),
    request_unreadable: |e| format!("jury serve: the request cannot be read: {e}"),
    no_more_commands: "jury: the server cannot take more commands now",
    stopping: "the server is stopping",
};

static ZH: ServeTexts = ServeTexts {
    title: |port| format!("jury serve：评审室已开放，端口 {port}。"),
    addresses: "评委可以连接的地址：",
    no_address: "  （未找到网络地址：请把这台电脑接入评审室的网络）",
    fingerprint: |f| format!("主机密钥指纹：{f}"),
    fingerprint_hint: "  首次连接时 ssh 会询问是否信任此密钥：只有显示的指纹与此相同才继续。",
    how: "连接方法（用户名 = 评委编号，密码 = 评委密码）：",
    windows: "Windows 10/11（Windows 终端或 PowerShell）：",
    mac: "macOS（终端）：",
    linux: "Linux（终端）：",
    judge_line: |port, host| format!("ssh -p {port} PW01@{host}"),
    organiser_line: |port, host| format!("  组织者控制台：ssh -p {port} organiser@{host}（组织者口令）"),
    show_line: |port, host, code| format!("  投影屏：ssh -p {port} show@{host}，投影码 {code}（每次启动都不同）"),
    limits: |idle, max| format!("空闲 {idle} 分钟的会话自动结束；同时最多 {max} 个会话。"),
    stop: "按 Ctrl-C 停止服务。已确认的分数都已保存。",
    prompt: "密码：",
    no_pty: "此服务只提供评分界面，需要终端：请用 ssh -t 连接（不带命令）。",
    full: |max| format!("评审室已满（{max} 个会话），请稍后再试。"),
    replaced: "您已在另一台电脑上登录：本会话已结束。",
    idle: |m| format!("{m} 分钟没有按键：本会话已结束。重新连接即可继续。"),
    shutdown: "服务正在停止：本会话已结束。",
    one_screen: "每个连接只能打开一个界面。",
    ended: "组织者结束了本会话。如需继续，请重新连接。",
    shared_file_warning: |path, why| {
        format!(
            "警告：{path} 无法设为仅所有者可读（{why}）：其他账户可能读到评委的分数和 PIN 哈希\
             （已加 --allow-shared-file，照常启动）"
        )
    },
    socket_too_long: |path| {
        format!(
            "警告：{path} 作为本地套接字的名称太长：服务运行期间，在其他终端输入的命令将自己写入工作区\
             （把工作区放在路径较短的文件夹中，这些命令就会交给服务器执行）"
        )
    },
    login_unchecked: |e| format!("jury serve：无法核对一次登录：{e}"),
    session_failed: |e| format!("jury serve：一个会话无法启动：{e}"),
    stays_mode: |mode| format!("权限仍为 {mode}"),
    request_unreadable: |e| format!("jury serve：无法读取这个请求（{e}）"),
    no_more_commands: "jury：服务器现在无法再接受命令，请稍后重试",
    stopping: "服务正在停止",
};
