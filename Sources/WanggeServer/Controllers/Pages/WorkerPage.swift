import Vapor
import WanggeCore
import WanggeStore

enum WorkerPage {
    /// `GET /worker`: the grid worker's phone page (installable; reports wait in the browser when offline).
    static func show(_ page: StaffPage) async throws -> Response {
        let (req, staff, j, ref, lang) = (page.req, page.staff, page.jurisdiction, page.reference, page.lang)
        guard let grid = j[staff.scope.areaCode] else { throw Abort(.notFound) }
        var filter = CaseFilter(scopePath: j.path(of: grid.code), departmentCode: nil)
        filter.states = CaseState.allCases.filter(\.isOpen)
        let open = try await CaseQueries.list(filter, page: 1, per: 100, on: req.db).cases
        let actor = RecordActor(staff)
        let toVerify = open.filter { $0.snapshot.state == .resolved }
        let majors = ref.catalogue.majors.map { m in (m, ref.catalogue.categories.filter { $0.parentCode == m.code }) }
        let model = WorkerModel(
            gridName: j.chain(from: grid.code).reversed().dropFirst().map(\.name).joined(separator: " › "),
            gridCode: grid.code, point: grid.boundary?.interiorPoint,
            toVerify: toVerify.map { WorkbenchPage.view($0, j, ref, req.now, lang) },
            open: open.filter { $0.snapshot.state != .resolved }.map { WorkbenchPage.view($0, j, ref, req.now, lang) },
            canVerify: Set(toVerify.filter { CaseStateMachine.allowedActions(for: $0.snapshot, actor: actor).contains(.verifyPass) }.map(\.id)),
            categories: ResidentViews.categoryOptions(majors, lang))
        if try page.wantsFragment { return page.html(WorkerView.tasks(model, lang)) }
        // Field work: the key places of the grid with their checklists (the page carries them, so an inspection can be
        // filled in with no network) and the households still to visit this quarter.
        let catalogue = req.wangge.fieldCatalogue
        let scope = j.path(of: grid.code)
        let places = try await RegistryQueries.list(RegistryFilter(kind: .place, scopePath: scope, grids: [grid.code]), page: 1, per: 200, on: req.db).items
        let keyPlaces = places.filter { $0.entry.typeCode.flatMap(catalogue.placeType)?.isKeyPlace ?? false }
        let day = ref.calendar.civilDate(of: req.now)
        let due = try await FieldAPI.due(under: grid.code, day: day, j: j, targets: catalogue.visitTargets, limit: 20, on: req.db)
        var field = WorkerView.FieldModel(places: keyPlaces.map { p in
            let type = p.entry.typeCode.flatMap(catalogue.placeType)
            return WorkerView.FieldPlace(id: p.id, name: p.entry.label, type: type.map { lang.pick($0.name, $0.nameEN) } ?? "",
                                         checklists: (type?.checklistCodes ?? []).compactMap(catalogue.checklist).map { c in
                                             WorkerView.FieldChecklist(code: c.code, name: c.name, items: c.items.map { i in
                                                 WorkerView.FieldItem(code: i.code, name: i.name,
                                                                      photo: i.photoWhenFailed || (ref.catalogue[i.categoryCode]?.photoRequired ?? false))
                                             })
                                         })
        }, householdsDue: due.total, households: due.items.map { ($0.id, $0.entry.address) }, period: due.periods.joined(separator: ","))
        let names = Dictionary(places.map { ($0.id, $0.entry.label) }, uniquingKeysWith: { a, _ in a })
        field.allPlaces = places.map { ($0.id, $0.entry.label) }
        field.reinspections = try await FieldAPI.reinspections(scopePath: scope, on: req.db).compactMap { r in
            names[r.placeId].map { (r.placeId, $0, r.since) }
        }
        field.care = try await FieldAPI.careDue(scopePath: scope, day: day, staff: page.staff, j: j, on: req.db).map { ($0.planId, $0.address, $0.nextDue) }
        return page.html(WorkerView.render(model, field: field, page.context))
    }

    /// `GET /sw.js`: the service worker, served from the root so it may control `/worker`.
    static func serviceWorker(_ req: Request) async throws -> Response {
        guard let dir = Bundle.module.resourcePath, let data = FileManager.default.contents(atPath: dir + "/Public/static/sw.js")
        else { throw Abort(.notFound) }
        let r = Response(status: .ok, body: .init(data: data))
        r.headers.replaceOrAdd(name: .contentType, value: "application/javascript; charset=utf-8")
        r.headers.cacheControl = .init(noCache: true)
        return r
    }
}
