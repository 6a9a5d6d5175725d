import Vapor

func routes(_ app: Application) {
    app.get("healthz", use: HealthController.health)
    app.get("metrics", use: HealthController.metrics)

    let api = app.grouped("api", "v1")
    api.post("auth", "token", use: AuthAPI.token)
    api.get("areas", use: AreasAPI.list)
    api.get("areas", ":code", "team", use: AreasAPI.team)
    api.get("locate", use: LocateAPI.locate)
    api.get("categories", use: CategoriesAPI.list)
    api.on(.POST, "cases", body: .collect(maxSize: "100mb"), use: CasesAPI.create)
    api.get("cases", use: CasesAPI.list)
    api.get("cases", ":id", use: CasesAPI.show)
    api.post("cases", ":id", "actions", use: CasesAPI.act)
    api.get("track", ":code", use: TrackingAPI.show)
    api.post("track", ":code", "rating", use: TrackingAPI.rate)
    api.get("measures", use: MeasuresAPI.show)
    api.get("photos", ":sha", use: PhotosAPI.show)
    api.on(.POST, "photos", body: .collect(maxSize: "100mb"), use: PhotosAPI.upload)
    api.get("events", use: EventsAPI.stream)
    api.get("calendar", use: CalendarAPI.show)
    api.on(.PUT, "calendar", ":year", body: .collect(maxSize: "1mb"), use: CalendarAPI.put)

    app.get { req in req.redirect(to: req.staff.map { Layout.pages(for: $0.role)[0].path } ?? "/login") }
    app.get("login", use: SessionPages.loginForm)
    app.post("login", use: SessionPages.login)
    app.post("logout", use: SessionPages.logout)
    app.get("areas", use: AreasPage.show)
    app.get("workbench", use: WorkbenchPage.show)
    app.get("report", use: ResidentPages.report)
    app.get("worker", use: WorkerPage.show)
    app.get("sw.js", use: WorkerPage.serviceWorker)
    app.get("track", use: ResidentPages.trackForm)
    app.get("track", ":code", use: ResidentPages.track)
    app.post("track", ":code", "rating", use: ResidentPages.rate)
    app.get("cases", ":id", use: CasePage.show)
}
