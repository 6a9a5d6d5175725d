/// The string table: every UI text in Chinese and English, side by side so neither falls behind.
struct Text: Sendable {
    let zh: String
    let en: String

    // MARK: Frame, navigation and the jurisdiction page

    static let appName = Text(zh: "网格", en: "Wangge")
    static let appTitle = Text(zh: "网格化服务管理平台", en: "Grid service and governance platform")
    static let areas = Text(zh: "区域", en: "Areas")
    static let jurisdiction = Text(zh: "辖区", en: "Jurisdiction")
    static let signIn = Text(zh: "登录", en: "Sign in")
    static let signOut = Text(zh: "退出", en: "Sign out")
    static let username = Text(zh: "用户名", en: "User name")
    static let password = Text(zh: "密码", en: "Password")
    static let switchLanguage = Text(zh: "English", en: "中文")
    static let myScope = Text(zh: "我的范围", en: "My scope")
    static let map = Text(zh: "网格地图", en: "Grid map")
    static let mapCaption = Text(zh: "各网格按乡镇着色，加粗描边为您的管辖范围。", en: "Grids coloured by township; your scope is outlined.")
    static let tree = Text(zh: "区域树", en: "Area tree")
    static let team = Text(zh: "网格团队", en: "Grid team")
    static let population = Text(zh: "人口", en: "Population")
    static let households = Text(zh: "户数", en: "Households")
    static let grids = Text(zh: "网格", en: "grids")
    static let villages = Text(zh: "村/社区", en: "villages")
    static let townships = Text(zh: "乡镇/街道", en: "townships")
    static let showTeam = Text(zh: "查看团队", en: "Show team")
    static let loading = Text(zh: "加载中…", en: "Loading…")
    static let noTeam = Text(zh: "暂无团队成员", en: "No team members")
    static let errorTitle = Text(zh: "出错了", en: "Something went wrong")
    static let backHome = Text(zh: "返回首页", en: "Back to the start")
    static let signInFailed = Text(zh: "用户名或密码错误", en: "User name or password is wrong")
    static let scheduleMissing = Text(zh: "缺少以下年份的法定节假日安排，这些年份暂按周末计算：", en: "Holiday schedule missing for these years; only weekends count as days off:")
    static let skipToContent = Text(zh: "跳到正文", en: "Skip to content")
    static let legend = Text(zh: "图例", en: "Legend")
    static let filterTree = Text(zh: "筛选区域", en: "Filter areas")
    static let filterPlaceholder = Text(zh: "输入名称或编码", en: "Name or code")
    static let navReport = Text(zh: "我要反映", en: "Report a problem")
    static let navTrack = Text(zh: "查询进度", en: "Follow a report")
    static let navWorker = Text(zh: "网格员", en: "Grid work")
    static let navWorkbench = Text(zh: "工作台", en: "Workbench")
    static let navDashboard = Text(zh: "驾驶舱", en: "Dashboard")
    static let navScreen = Text(zh: "大屏", en: "Big screen")

    // MARK: Sessions and errors

    static let notForYourRole = Text(zh: "您的角色无权打开此页面", en: "Your role may not open this page")
    static let formExpired = Text(zh: "页面已过期，请重新提交", en: "The page had expired; please send it again")

    // MARK: Workbench and queue

    static let workbench = Text(zh: "工作台", en: "Workbench")
    static let queue = Text(zh: "案件队列", en: "Case queue")
    static let tabOpen = Text(zh: "全部在办", en: "All open")
    static let tabAll = Text(zh: "全部", en: "All")
    static let filters = Text(zh: "筛选", en: "Filters")
    static let area = Text(zh: "区域", en: "Area")
    static let category = Text(zh: "类别", en: "Category")
    static let source = Text(zh: "来源", en: "Source")
    static let clock = Text(zh: "时限", en: "Clock")
    static let from = Text(zh: "从", en: "From")
    static let to = Text(zh: "到", en: "To")
    static let search = Text(zh: "关键词", en: "Words")
    static let apply = Text(zh: "查询", en: "Apply")
    static let reset = Text(zh: "清空", en: "Clear")
    static let any = Text(zh: "全部", en: "Any")
    static let code = Text(zh: "编号", en: "Code")
    static let status = Text(zh: "状态", en: "Status")
    static let reported = Text(zh: "上报时间", en: "Reported")
    static let department = Text(zh: "承办部门", en: "Department")
    static let description = Text(zh: "描述", en: "Description")
    static let noCases = Text(zh: "没有符合条件的案件", en: "No cases match")
    static let selectAll = Text(zh: "全选可派遣的案件", en: "Select all that can be dispatched")
    static let dispatchSelected = Text(zh: "派遣所选", en: "Dispatch selected")
    static let chooseDepartment = Text(zh: "选择承办部门", en: "Choose a department")
    static let selected = Text(zh: "已选", en: "Selected")
    static let previous = Text(zh: "上一页", en: "Previous")
    static let next = Text(zh: "下一页", en: "Next")
    static let pageOf = Text(zh: "页", en: "page")
    static let total = Text(zh: "共", en: "Total")
    static let live = Text(zh: "实时更新", en: "Live")
    static let select = Text(zh: "选择", en: "Select")
    static let selectForDispatch = Text(zh: "选择要派遣的案件", en: "Select for dispatch")
    static let sourceResident = Text(zh: "群众", en: "Resident")
    static let sourceGridWorker = Text(zh: "网格员", en: "Grid worker")
    static let sourceHotline = Text(zh: "热线", en: "Hotline")
    static let sourceImport = Text(zh: "导入", en: "Import")
    static let sourceOpen311 = Text(zh: "Open311 接口", en: "Open311")

    // MARK: Clocks

    static let clockGreen = Text(zh: "正常", en: "On time")
    static let clockYellow = Text(zh: "临期", en: "Due soon")
    static let clockRed = Text(zh: "超期", en: "Late")
    static let deadline = Text(zh: "期限", en: "Due")
    static let suspended = Text(zh: "挂账", en: "Suspended")

    // MARK: Case page

    static let caseTitle = Text(zh: "案件", en: "Case")
    static let backToQueue = Text(zh: "返回队列", en: "Back to the queue")
    static let place = Text(zh: "地点", en: "Place")
    static let routing = Text(zh: "分派依据", en: "Why it went here")
    static let clocks = Text(zh: "时限", en: "Clocks")
    static let timeline = Text(zh: "办理过程", en: "Timeline")
    static let photos = Text(zh: "照片", en: "Photos")
    static let duplicates = Text(zh: "疑似重复", en: "Likely duplicates")
    static let duplicatesInAll = Text(zh: "共", en: "In all:")
    static let duplicatesNearestShown = Text(zh: "件，列出最近的", en: "; the nearest shown:")
    static let mergeInto = Text(zh: "合并到此案", en: "Merge into this case")
    static let actionsNow = Text(zh: "可办理操作", en: "What you can do now")
    static let noActions = Text(zh: "当前没有您可办理的操作", en: "Nothing for you to do on this case now")
    static let note = Text(zh: "说明", en: "Note")
    static let extensionLabel = Text(zh: "延期时长（如 8h、2d）", en: "Extension (e.g. 8h, 2d)")
    static let mergeTarget = Text(zh: "合并到案件编号", en: "Merge into case code")
    static let attachPhotos = Text(zh: "附照片", en: "Attach photos")
    static let confirm = Text(zh: "确认", en: "Confirm")
    static let signStage = Text(zh: "签收", en: "Sign")
    static let resolveStage = Text(zh: "处置", en: "Resolve")
    static let verifyStage = Text(zh: "核查", en: "Verify")
    static let closureStage = Text(zh: "结案", en: "Closure")
    static let reporter = Text(zh: "报告人", en: "Reporter")
    static let anonymous = Text(zh: "匿名", en: "Anonymous")
    static let trackingCode = Text(zh: "查询码", en: "Tracking code")
    static let done = Text(zh: "已完成", en: "Done")
    static let system = Text(zh: "系统", en: "System")
    static let residentActor = Text(zh: "群众", en: "Resident")
    static let metres = Text(zh: "米", en: "m")

    // MARK: Dashboard

    static let dashboard = Text(zh: "驾驶舱", en: "Dashboard")
    static let period = Text(zh: "期间", en: "Period")
    static let colourBy = Text(zh: "地图着色", en: "Colour the map by")
    static let show = Text(zh: "查看", en: "Show")
    static let reportedCases = Text(zh: "上报件数", en: "Reported")
    static let drillDown = Text(zh: "下级区域", en: "Areas below")
    static let byCategory = Text(zh: "按类别", en: "By category")
    static let byDepartment = Text(zh: "部门（按按期结案率排序）", en: "Departments (by on-time closure)")
    static let weeklyTrend = Text(zh: "周趋势", en: "Weekly trend")
    static let heatMap = Text(zh: "网格地图与案件热力", en: "Grids and where cases were reported")
    static let lateWork = Text(zh: "超期在办", en: "Late work")
    static let openSupervisions = Text(zh: "未办结督办件", en: "Open supervisions")
    static let exportCSV = Text(zh: "导出 CSV", en: "Export CSV")
    static let lateBy = Text(zh: "超期", en: "Late by")
    static let hours = Text(zh: "小时", en: "h")
    static let heatLegend = Text(zh: "网格颜色：红低绿高；蓝色六边形越深，本期上报越多；点击网格下钻。", en: "Grid colour: red low, green high; darker blue hexagons, more reports; click a grid to drill down.")
    static let nameColumn = Text(zh: "名称", en: "Name")
    static let raised = Text(zh: "督办时间", en: "Raised")
    static let kind = Text(zh: "类型", en: "Kind")
    static let fromAfterTo = Text(zh: "开始日期不能晚于结束日期", en: "from must not be after to")
    static let csvAreaCode = Text(zh: "编码", en: "code")
    static let csvName = Text(zh: "名称", en: "name")
    static let csvReported = Text(zh: "上报件数", en: "reported")
    static let csvNumerator = Text(zh: "分子", en: "numerator")
    static let csvDenominator = Text(zh: "分母", en: "denominator")
    static let csvCaseCode = Text(zh: "编号", en: "code")
    static let csvState = Text(zh: "状态", en: "state")
    static let csvArea = Text(zh: "区域", en: "area")
    static let csvCategory = Text(zh: "类别", en: "category")
    static let csvDue = Text(zh: "期限", en: "due")
    static let csvHoursLate = Text(zh: "超期小时", en: "hours late")
    static let csvSupervisionKind = Text(zh: "督办类型", en: "kind")
    static let csvRaised = Text(zh: "督办时间", en: "raised")
    static let csvWeek = Text(zh: "周", en: "week")

    // MARK: Big screen

    static let screenTitle = Text(zh: "指挥中心大屏", en: "Command centre")
    static let todayReported = Text(zh: "今日上报", en: "Reported today")
    static let todayClosed = Text(zh: "今日结案", en: "Closed today")
    static let openNow = Text(zh: "在办", en: "Open")
    static let lateNow = Text(zh: "超期", en: "Late")
    static let thisMonth = Text(zh: "本月指标", en: "This month")
    static let newest = Text(zh: "最新案件", en: "Newest cases")

    // MARK: Grid worker

    static let workerTitle = Text(zh: "网格员", en: "Grid work")
    static let myGrid = Text(zh: "我的网格", en: "My grid")
    static let outboxWaiting = Text(zh: "待发送", en: "Waiting to send")
    static let sendNow = Text(zh: "立即发送", en: "Send now")
    static let quickReport = Text(zh: "随手报", en: "Quick report")
    static let placePrefilled = Text(zh: "位置已按本网格预填；可用当前位置替换。", en: "The place is set to your grid; use your location to be exact.")
    static let useHere = Text(zh: "用当前位置", en: "Use where I am")
    static let saveReport = Text(zh: "上报", en: "Report")
    static let tasks = Text(zh: "待办任务", en: "Tasks")
    static let toVerify = Text(zh: "待核查", en: "To verify")
    static let openInGrid = Text(zh: "网格内在办案件", en: "Open cases in the grid")
    static let nothingToDo = Text(zh: "暂无", en: "None")
    static let verifyPass = Text(zh: "核查通过", en: "Verified")
    static let verifyFail = Text(zh: "核查不通过", en: "Not fixed")
    static let open = Text(zh: "打开", en: "Open")
    static let installHint = Text(zh: "可添加到手机桌面，没有信号时也能上报，联网后自动发送。", en: "Add it to your home screen: reports made without signal are sent when the network returns.")

    // MARK: Resident pages: report and follow

    static let reportTitle = Text(zh: "我要反映", en: "Report a problem")
    static let reportIntro = Text(zh: "无需登录。拍照、选位置、写几句话，我们会交给负责的部门办理，您可凭查询码查看进度并评价。",
                                  en: "No account needed. Add a photo, the place and a few words; we pass it to whoever is responsible, and you follow it and rate it with a tracking code.")
    static let whatKind = Text(zh: "1. 什么问题", en: "1. What kind of problem")
    static let findCategory = Text(zh: "查找类别", en: "Find a category")
    static let searchCategory = Text(zh: "输入关键词查找，如“路灯”“噪音”“垃圾”", en: "Type to search, e.g. street light, noise, rubbish")
    static let chooseCategory = Text(zh: "请选择类别", en: "Choose a category")
    static let photosStep = Text(zh: "2. 照片（可选，最多 9 张）", en: "2. Photos (optional, up to 9)")
    static let placeStep = Text(zh: "3. 在哪里", en: "3. Where")
    static let useMyLocation = Text(zh: "使用我的位置", en: "Use my location")
    static let tapMap = Text(zh: "或在地图上点选位置", en: "or tap the place on the map")
    static let addressLabel = Text(zh: "地址或地标（没有定位时填写）", en: "Address or landmark (when there is no location)")
    static let placeChosen = Text(zh: "已选位置", en: "Place chosen")
    static let givePlace = Text(zh: "请定位、在地图上点选，或填写地址", en: "Use your location, tap the map, or give an address")
    static let wordsStep = Text(zh: "4. 说说情况", en: "4. What is happening")
    static let contactStep = Text(zh: "5. 联系方式（可选，便于回访）", en: "5. Contact (optional, so we can tell you the result)")
    static let name = Text(zh: "姓名", en: "Name")
    static let phone = Text(zh: "手机号", en: "Mobile number")
    static let submitReport = Text(zh: "提交", en: "Send")
    static let sending = Text(zh: "提交中…", en: "Sending…")
    static let reportReceived = Text(zh: "已收到您的反映", en: "Your report has been received")
    static let keepCode = Text(zh: "请记下查询码，或收藏下面的链接：", en: "Keep this tracking code, or bookmark the link below:")
    static let followLink = Text(zh: "查看办理进度", en: "Follow its progress")
    static let reportAnother = Text(zh: "再反映一个问题", en: "Report another problem")
    static let trackTitle = Text(zh: "查询办理进度", en: "Follow a report")
    static let enterCode = Text(zh: "查询码", en: "Tracking code")
    static let find = Text(zh: "查询", en: "Find")
    static let noSuchCode = Text(zh: "没有找到这个查询码，请核对后再试", en: "No report has this tracking code; check it and try again")
    static let rateTitle = Text(zh: "请评价办理结果", en: "Rate the outcome")
    static let rated = Text(zh: "您的评价", en: "Your rating")
    static let thanksRating = Text(zh: "感谢您的评价", en: "Thank you for your rating")
    static let comment = Text(zh: "意见（可选）", en: "Comment (optional)")
    static let sendRating = Text(zh: "提交评价", en: "Send rating")
    static let chooseRating = Text(zh: "请选择一项评价", en: "Choose a rating")
    static let progress = Text(zh: "办理过程", en: "Progress")
    static let photoNeeded = Text(zh: "（需附照片）", en: " (photo needed)")
    static let jsNeeded = Text(zh: "提交需要浏览器启用 JavaScript。", en: "Sending needs JavaScript in your browser.")

    // MARK: Audit

    static let auditTitle = Text(zh: "个人信息查看记录", en: "Personal data views")
    static let auditIntro = Text(zh: "每一次查看群众或网格员的姓名、电话都记录在此。", en: "Every view of a resident's or team member's name or phone is recorded here.")
    static let auditUser = Text(zh: "用户名", en: "User name")
    static let auditRecord = Text(zh: "记录编号", en: "Record")
    static let auditFields = Text(zh: "查看内容", en: "Fields seen")
    static let auditClient = Text(zh: "来源地址", en: "Address")
    static let auditRoute = Text(zh: "途径", en: "Through")
    static let auditNone = Text(zh: "没有符合条件的记录", en: "No views match")
    static let navAudit = Text(zh: "审计", en: "Audit")
    static let navAPIKeys = Text(zh: "接口密钥", en: "API keys")
    static let auditTime = Text(zh: "时间", en: "Time")
    static let auditSearch = Text(zh: "查询", en: "Search")


    // MARK: Mediation

    static let navMediation = Text(zh: "调解", en: "Mediation")
    static let navRisks = Text(zh: "风险", en: "Risks")
    static let navSafety = Text(zh: "平安指数", en: "Safety index")
    static let navAssessment = Text(zh: "考核", en: "Assessment")
    static let navRegistry = Text(zh: "一表通", en: "Registry")
    static let navWarnings = Text(zh: "预警", en: "Warnings")
    static let mediationTitle = Text(zh: "矛盾纠纷调解", en: "Dispute mediation")
    static let mediationMine = Text(zh: "我的调解案件", en: "My mediations")
    static let mediationSessionsToday = Text(zh: "今日调解", en: "Today's sessions")
    static let mediationClocksDue = Text(zh: "期限将到或已超期", en: "Clocks due")
    static let mediationNone = Text(zh: "暂无", en: "None")
    static let mediationCode = Text(zh: "编号", en: "Code")
    static let mediationType = Text(zh: "纠纷类型", en: "Type")
    static let mediationTier = Text(zh: "调解层级", en: "Tier")
    static let mediationStatus = Text(zh: "状态", en: "Status")
    static let mediationDue = Text(zh: "期限", en: "Due")
    static let mediationCommittee = Text(zh: "调解组织", en: "Committee")
    static let mediationPlace = Text(zh: "纠纷地点", en: "Place")
    static let mediationParties = Text(zh: "当事人", en: "Parties")
    static let mediationSessions = Text(zh: "调解记录", en: "Sessions")
    static let mediationAgreement = Text(zh: "调解协议", en: "Agreement")
    static let mediationObligor = Text(zh: "义务人", en: "Obligor")
    static let mediationTermText = Text(zh: "协议内容", en: "Term")
    static let mediationAmount = Text(zh: "金额（元）", en: "Amount (yuan)")
    static let mediationDueDate = Text(zh: "履行期限", en: "Due date")
    static let mediationPaid = Text(zh: "已履行（元）", en: "Paid (yuan)")
    static let mediationConfirmation = Text(zh: "司法确认", en: "Judicial confirmation")
    static let mediationFollowUps = Text(zh: "回访", en: "Follow-up visits")
    static let mediationTimeline = Text(zh: "办理过程", en: "Timeline")
    static let mediationActions = Text(zh: "现在可以办理", en: "What you can do now")
    static let mediationFromCase = Text(zh: "来源事件", en: "From case")
    static let mediationOpen = Text(zh: "转为矛盾纠纷调解", en: "Open as a mediation")
    static let trackingCodeReveal = Text(zh: "查看查询码（告知来电人）", en: "Show the tracking code (to tell the caller)")
    static let trackingCodeHint = Text(zh: "查询码属于反映人本人。查看会记入审计日志，此后用该码作出的评价将标注“工作人员曾查看查询码”。",
                                       en: "The tracking code is the reporter's own. Viewing it is written to the audit log, and a rating made with it afterwards is marked as made with a code staff have seen.")
    static let mediationOpened = Text(zh: "调解案件", en: "Mediation case")
    static let mediationRisk = Text(zh: "有激化风险", en: "Risk of escalation")
    static let mediationPrint = Text(zh: "打印调解协议书", en: "Print the agreement")
    static let mediationDescription = Text(zh: "纠纷简要情况", en: "The dispute")
    static let mediationPeople = Text(zh: "涉及人数", en: "People involved")
    static let mediationAmountInvolved = Text(zh: "涉及金额（元）", en: "Amount involved (yuan)")
    static let mediationSuggested = Text(zh: "推荐调解员（按专长、区域、在办量）", en: "Suggested mediators (speciality, area, load)")
    static let mediationLoad = Text(zh: "在办", en: "open")
    static let mediationAt = Text(zh: "时间", en: "Time")
    static let mediationSessionPlace = Text(zh: "地点", en: "Place")
    static let mediationNotes = Text(zh: "记录", en: "Notes")
    static let mediationParticipants = Text(zh: "参加人（逗号分隔）", en: "Participants (comma-separated)")
    static let mediationReason = Text(zh: "理由", en: "Reason")
    static let mediationDays = Text(zh: "延长天数", en: "Days")
    static let mediationConsentApplicant = Text(zh: "申请人同意延期", en: "The applicant consents")
    static let mediationConsentRespondent = Text(zh: "被申请人同意延期", en: "The respondent consents")
    static let mediationRoute = Text(zh: "告知去向", en: "Route given")
    static let mediationCourt = Text(zh: "法院", en: "Court")
    static let mediationAppliedOn = Text(zh: "申请日期", en: "Applied on")
    static let mediationPerformedOn = Text(zh: "履行日期", en: "Performed on")
    static let mediationTerm = Text(zh: "条款", en: "Term")
    static let mediationResult = Text(zh: "回访结果", en: "Result")
    static let mediationComplexity = Text(zh: "难易程度", en: "Complexity")
    static let mediationSimple = Text(zh: "简易（1个工作日）", en: "Simple (1 working day)")
    static let mediationGeneral = Text(zh: "一般（3个工作日）", en: "General (3 working days)")
    static let mediationSettled = Text(zh: "已化解", en: "Settled")
    static let mediationRecurred = Text(zh: "再次发生", en: "Recurred")
    static let mediationRouteCourt = Text(zh: "诉讼", en: "Court")
    static let mediationRouteArbitration = Text(zh: "仲裁", en: "Arbitration")
    static let mediationRouteAdministrative = Text(zh: "行政处理", en: "Administrative body")
    static let mediationSubmit = Text(zh: "提交", en: "Submit")
    static let mediationNote = Text(zh: "说明", en: "Note")
    static let mediationConfirmed = Text(zh: "已确认", en: "Confirmed")
    static let mediationRefused = Text(zh: "被驳回", en: "Refused")
    static let mediationPending = Text(zh: "待法院决定", en: "Awaiting the court")
    static let agreementTitle = Text(zh: "人民调解协议书", en: "People's Mediation Agreement")
    static let agreementNumber = Text(zh: "编号", en: "No.")
    static let agreementFacts = Text(zh: "纠纷主要事实、争议事项", en: "Facts and matters in dispute")
    static let agreementTerms = Text(zh: "经调解，当事人自愿达成如下协议", en: "Through mediation the parties freely agree as follows")
    static let agreementEffect = Text(zh: "本协议一式三份，当事人、人民调解委员会各持一份。本协议自各方当事人签名（盖章）、人民调解员签名并加盖人民调解委员会印章之日起生效。", en: "This agreement is made in three copies, one each for the parties and the committee. It takes effect when every party has signed (or sealed), the mediator has signed and the committee has set its seal.")
    static let agreementPartySign = Text(zh: "当事人（签名或盖章）", en: "Party (signature or seal)")
    static let agreementMediatorSign = Text(zh: "人民调解员（签名）", en: "Mediator (signature)")
    static let agreementSeal = Text(zh: "人民调解委员会（印章）", en: "Mediation committee (seal)")
    static let agreementDate = Text(zh: "日期", en: "Date")
    static let agreementNone = Text(zh: "尚未达成调解协议。", en: "No agreement has been reached yet.")
    static let agreementPrintHint = Text(zh: "用浏览器的“打印”得到A4纸张的协议书。", en: "Use the browser's Print to get the agreement on A4 paper.")
    static let mediationIDNumber = Text(zh: "联系方式", en: "Contact")
    static let mediationPanel = Text(zh: "矛盾纠纷调解", en: "Dispute mediation")
    static let mediationReceived = Text(zh: "受理纠纷", en: "Disputes received")
    static let mediationSuccess = Text(zh: "调解成功率", en: "Mediation success rate")
    static let mediationOpenNow = Text(zh: "在调解", en: "In mediation now")
    static let mediationRiskyNow = Text(zh: "有激化风险", en: "At risk of escalation")
    static let mediationNotices = Text(zh: "风险提示与督办", en: "Risk notices and supervision")
    static let mediationNoticeRisk = Text(zh: "激化风险", en: "Risk of escalation")
    static let mediationNoticeLate = Text(zh: "调解超期", en: "Past its time limit")
    static let mediationNoticeLeader = Text(zh: "领导督办", en: "Raised by a leader")
    static let partyApplicant = Text(zh: "申请人", en: "Applicant")
    static let partyRespondent = Text(zh: "被申请人", en: "Respondent")
    static let partyThird = Text(zh: "第三人", en: "Third party")

    // MARK: API errors
    //
    // What a page shows for an API error, by the error's `code` (`{"error": {"code", "message", "field"}}`), so a page
    // never shows the API's English message. A code and field together may have a text of their own
    // ("invalid_input:reporter.phone"), looked up first. The scripts get them in their data block (`W.errorText` in
    // app.js); the server-rendered pages take them through `Text.apiError`. `invalid_input` with a field shows
    // `fieldInvalid` (with the field's label where the page knows it) next to that field. A code without a text
    // shows the API's message; `SiteTableTests` checks every code the server's sources can answer has one.

    static let apiErrors: [String: Text] = [
        "invalid_input": Text(zh: "填写的内容有误，请检查后再试", en: "Something in the form is not right; check it and try again"),
        "unauthorized": Text(zh: "登录已过期，请重新登录", en: "You are signed out; sign in again"),
        "invalid_credentials": .signInFailed,
        "forbidden": Text(zh: "您无权进行此操作", en: "You may not do this"),
        "not_found": Text(zh: "没有找到，可能已不存在或不在您的管辖范围内", en: "Not found: it may be gone or outside your scope"),
        "conflict": Text(zh: "他人刚刚也办理了此件，请刷新页面后再试", en: "Someone else changed this at the same moment; reload the page and try again"),
        "action_not_allowed": Text(zh: "当前状态下不能办理此操作，请刷新页面查看最新状态", en: "This cannot be done in the current state; reload the page to see it"),
        "nothing_to_score": Text(zh: "该月没有可计算的数据（既无本月数据也无基准）", en: "Nothing to score in that month (no data and no baseline)"),
        "action_not_due": Text(zh: "现在还不能办理此操作", en: "This cannot be done yet"),
        "too_many_requests": Text(zh: "操作过于频繁，请稍后再试", en: "Too many requests; wait a moment and try again"),
        "too_many_streams": Text(zh: "打开的实时页面太多，请关闭其他标签页", en: "Too many live pages are open; close another tab"),
        "payload_too_large": Text(zh: "提交的内容太大，请减少照片或换小一些的照片", en: "What you sent is too large; send fewer or smaller photos"),
        "unsupported_media_type": Text(zh: "提交的格式不受支持，请刷新页面后再试", en: "This kind of content is not accepted; reload the page and try again"),
        "invalid_photo": Text(zh: "有照片无法读取，请换一张（JPEG、PNG 或 WebP）", en: "A photo cannot be read; choose another (JPEG, PNG or WebP)"),
        "upload_quota": Text(zh: "今天上传的照片已达上限，请明天再传", en: "You have uploaded as many photos as a day allows; try again tomorrow"),
        "csrf_failed": .formExpired,
        "cross_site": Text(zh: "只接受本站页面提交的内容", en: "Only this site's own pages may send this"),
        "api_key_missing": Text(zh: "缺少接口密钥（api_key）", en: "An api_key is required"),
        "api_key_invalid": Text(zh: "接口密钥无效或已吊销", en: "The api_key is not valid, or has been revoked"),
        "jurisdiction_not_found": Text(zh: "本系统不服务这个辖区（jurisdiction_id）", en: "This jurisdiction_id is not served here"),
        "idempotency_key_reused": Text(zh: "这次提交与此前的内容不一致，请刷新页面后重新填写", en: "This was sent before with other content; reload the page and fill it in again"),
        "already_mediated": Text(zh: "此案件已由您管辖范围以外的调解组织调解", en: "A committee outside your scope is already mediating this case"),
        "no_reporter": Text(zh: "此案件没有报告人，无法生成查询码", en: "This case has no reporter to give a tracking code to"),
        "outside_jurisdiction": Text(zh: "这个位置不在本县范围内", en: "This place is outside the county"),
        "username_taken": Text(zh: "该用户名已被使用", en: "That user name is taken"),
        "busy": Text(zh: "系统繁忙，请稍后再试（不会重复提交）", en: "The server is busy; try again in a moment (it will not be sent twice)"),
        "wrong_host": Text(zh: "访问地址有误，请从本站首页进入", en: "Wrong address for this server; start from the site's home page"),
        "internal_error": Text(zh: "服务器出错了，已记录，请稍后再试", en: "Something went wrong on the server; it has been logged. Try again later"),
        "broken_history": Text(zh: "此记录的办理过程有误，已记录，请告知管理员", en: "This record's history is broken; it has been logged. Tell an administrator"),
        "invalid_period": .fromAfterTo,
        // Codes Vapor's own errors get (their status's reason phrase).
        "bad_request": Text(zh: "请求有误，请刷新页面后再试", en: "The request is not right; reload the page and try again"),
        "method_not_allowed": Text(zh: "不支持此操作", en: "This cannot be done here"),
        "request_timeout": Text(zh: "请求超时，请稍后再试", en: "The request took too long; try again"),
        "service_unavailable": Text(zh: "系统繁忙，请稍后再试", en: "The server is busy; try again in a moment"),
        "internal_server_error": Text(zh: "服务器出错了，请稍后再试", en: "Something went wrong on the server; try again later"),
        // A code and the field at fault, where the page can say more than "this field is not right".
        "invalid_input:reporter.phone": Text(zh: "请填写11位手机号，或带区号的固定电话", en: "Give an 11-digit mobile number, or a landline with its area code"),
        "invalid_input:case_id": Text(zh: "这个案件不能转为矛盾纠纷调解", en: "This case cannot be opened as a mediation"),
        "invalid_input:rating": .chooseRating,
        "invalid_input:extension": Text(zh: "延期时长请写成如 8h（小时）或 2d（工作日）", en: "Write the extension like 8h (hours) or 2d (working days)"),
        "invalid_input:lat": .givePlace,
        "not_found:merge_into": Text(zh: "您的管辖范围内没有这个案件编号", en: "No other case with this code in your scope"),
    ]

    /// The text for an API error's code (and field), if the table has one.
    static func apiError(code: String, field: String?) -> Text? {
        field.flatMap { apiErrors[code + ":" + $0] } ?? apiErrors[code]
    }

    // MARK: Scripts
    //
    // The texts the pages' scripts show, by the key they ask for (`W.s("key")` in Public/static/*.js). Every page
    // sends them in its language in its data block (`Layout.dataBlock`); `{name}` is filled in by the script.

    static let js: [String: Text] = [
        // mediation.js
        "mediationChanged": Text(zh: "此调解刚被他人更新（{state}），点此刷新查看", en: "Someone else just updated this mediation ({state}); reload to see it"),
        // app.js
        "noNetwork": Text(zh: "网络不通，请稍后再试", en: "No network; try again later"),
        "fieldInvalid": Text(zh: "此项填写有误", en: "This is not filled in right"),
        "fieldInvalidNamed": Text(zh: "“{label}”填写有误", en: "Check “{label}”"),
        "httpFailed": Text(zh: "没有办成（HTTP {status}），请稍后再试", en: "It did not go through (HTTP {status}); try again later"),
        // report.js
        "placeChosen": .placeChosen,
        "outsideCounty": Text(zh: "这个位置不在本县范围内，请重新选择或填写地址", en: "This place is outside the county; choose again or give an address"),
        "tappedOnMap": Text(zh: "地图点选", en: "tapped on the map"),
        "cannotLocate": Text(zh: "此浏览器不能定位，请在地图上点选", en: "This browser cannot locate; tap the map"),
        "locating": Text(zh: "定位中…", en: "Locating…"),
        "phoneLocation": Text(zh: "手机定位", en: "phone location"),
        "noLocation": Text(zh: "未能定位，请在地图上点选或填写地址", en: "No location; tap the map or give an address"),
        "chooseProblemCategory": Text(zh: "请选择问题类别", en: "Choose a category"),
        "describeIt": Text(zh: "请写几句话说明情况", en: "Write a few words about it"),
        "givePlace": .givePlace,
        "sending": .sending,
        "noNetworkNotTwice": Text(zh: "网络不通，请稍后再试（不会重复提交）", en: "No network; try again (it will not be sent twice)"),
        // workbench.js
        "selectCasesFirst": Text(zh: "请先勾选案件", en: "Select cases first"),
        "pleaseChooseDepartment": Text(zh: "请选择承办部门", en: "Choose a department"),
        "dispatching": Text(zh: "派遣中…", en: "Dispatching…"),
        "dispatchedOf": Text(zh: "已派遣 {done} / {total}", en: "Dispatched {done} / {total}"),
        "dispatchedCount": Text(zh: "已派遣 {n} 件", en: "Dispatched {n}"),
        "notDone": Text(zh: "；未成功：", en: "; not done: "),
        "actionDone": Text(zh: "已办理：", en: "Done: "),
        // worker.js
        "remove": Text(zh: "删除", en: "Remove"),
        "offlineWaiting": Text(zh: "离线：联网后自动发送", en: "Offline: sent when the network returns"),
        "signedOutToSend": Text(zh: "登录已过期，请重新登录后发送", en: "Signed out: sign in again to send"),
        "reloadToSend": Text(zh: "页面已过期，请刷新后发送", en: "This page has expired: reload it to send"),
        "willRetry": Text(zh: "网络不通，稍后自动重试", en: "No network; will retry"),
        "sentCount": Text(zh: "已发送 {n}", en: "Sent {n}"),
        "chooseCategory": .chooseCategory,
        "writeFewWords": Text(zh: "请写几句话", en: "Write a few words"),
        "savedSending": Text(zh: "已保存，发送中…", en: "Saved; sending…"),
        "usingHere": Text(zh: "已用当前位置：", en: "Using where you are: "),
    ]
}
