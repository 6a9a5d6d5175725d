import Foundation
import Testing
@testable import WanggeCore
@testable import WanggeDemo

/// Generated once for the whole file.
private let demo = DemoCounty.generate()

@Suite("Demo county")
struct DemoCountyTests {
    private var county: Area { demo.areas[0] }

    private func areas(_ level: AreaLevel) -> [Area] { demo.areas.filter { $0.level == level } }

    private static func children(of areas: [Area]) -> [String: [Area]] {
        Dictionary(grouping: areas.filter { $0.parentCode != nil }, by: { $0.parentCode! })
    }

    // MARK: the tree

    @Test func levelsCodesAndParents() throws {
        // setup
        let byCode = Dictionary(demo.areas.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        var earlier = Set<String>()
        var problems: [String] = []

        // MUT
        for area in demo.areas {
            if let p = area.parentCode {
                if let parent = byCode[p] {
                    if parent.level.depth != area.level.depth - 1 { problems.append("\(area.code): parent \(p) is a \(parent.level)") }
                } else {
                    problems.append("\(area.code): unknown parent \(p)")
                }
                if !earlier.contains(p) { problems.append("\(area.code) comes before its parent \(p)") }
                if !(area.code.count == p.count + 3 && area.code.hasPrefix(p) && area.code.allSatisfy(\.isASCIIDigit)) {
                    problems.append("\(area.code) is not \(p) + 3 digits")
                }
            } else if area.level != .county {
                problems.append("\(area.code) has no parent")
            }
            earlier.insert(area.code)
        }

        // validate
        #expect(areas(.county).count == 1)
        #expect(areas(.township).count == 15)
        #expect(areas(.village).count == 208)
        #expect(areas(.grid).count == 978)
        #expect(areas(.cell).isEmpty)
        #expect(byCode.count == demo.areas.count, "codes are unique")
        #expect(county.code == "330599" && county.name == "安澜县" && county.parentCode == nil)
        #expect(problems.isEmpty, "\(problems.prefix(5))")
        let suffixes = ["街道", "镇", "乡"]
        #expect(areas(.township).allSatisfy { t in suffixes.contains { t.name.hasSuffix($0) } })
        #expect(areas(.village).allSatisfy { $0.name.hasSuffix("村") || $0.name.hasSuffix("社区") })
        #expect(areas(.village).contains { $0.name.hasSuffix("社区") })
        let villageNames = Dictionary(areas(.village).map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
        #expect(areas(.grid).allSatisfy { g in
            g.name.hasPrefix(villageNames[g.parentCode!]!) && g.name.hasSuffix("网格") && g.name.contains("第")
        })
        #expect(Set(demo.areas.map(\.name)).count == demo.areas.count, "names are unique")
    }

    @Test func populationAddsUpAndCrowdsAtTheSeat() throws {
        // setup
        let children = Self.children(of: demo.areas)
        let grids = areas(.grid)

        // validate
        #expect(grids.allSatisfy { (120...700).contains($0.population) })
        #expect((290_000...310_000).contains(county.population), "county population \(county.population)")
        let ratio = Double(county.population) / Double(county.households)
        #expect((2.6...2.8).contains(ratio), "people per household \(ratio)")
        for parent in demo.areas where parent.level < .grid {
            let kids = try #require(children[parent.code], "\(parent.code) has no children")
            #expect(parent.population == kids.reduce(0) { $0 + $1.population }, "population of \(parent.code)")
            #expect(parent.households == kids.reduce(0) { $0 + $1.households }, "households of \(parent.code)")
        }
        // People per square degree: the county seat's grids are denser than the county's as a whole.
        let seatGrids = grids.filter { $0.code.hasPrefix("330599001") }
        let seatDensity = Double(seatGrids.reduce(0) { $0 + $1.population }) / seatGrids.reduce(0) { $0 + $1.boundary!.area }
        let countyDensity = Double(county.population) / county.boundary!.area
        #expect(seatDensity > 1.5 * countyDensity, "seat \(seatDensity) vs county \(countyDensity)")
    }

    // MARK: organisation

    @Test func everyGridHasAFullTeam() {
        // setup
        let teams = Dictionary(grouping: demo.team, by: \.gridCode)
        var problems: [String] = []

        // MUT
        for grid in areas(.grid) {
            let members = teams[grid.code] ?? []
            func count(_ p: TeamPosition) -> Int { members.filter { $0.position == p }.count }
            let ok = count(.gridLeader) == 1 && count(.instructor) == 1 && count(.fullTimeWorker) == 1
                && count(.partTimeWorker) == 2 && count(.safetyEnvoy) == 1 && count(.partyEnvoy) == 1
                && (2...3).contains(count(.volunteer))
            if !ok { problems.append("\(grid.code): \(members.map(\.position.rawValue))") }
        }

        // validate
        #expect(problems.isEmpty, "\(problems.prefix(5))")
        #expect(Set(demo.team.map(\.gridCode)) == Set(areas(.grid).map(\.code)))
        #expect(demo.team.allSatisfy { m in
            guard let phone = m.phone else { return false }
            return phone.count == 11 && phone.allSatisfy(\.isASCIIDigit)
                && ["13", "15", "17", "18", "19"].contains(String(phone.prefix(2)))
        })
        #expect(demo.team.allSatisfy { $0.name.count == 3 })
        let volunteers = demo.team.filter { $0.position == .volunteer }.count
        #expect(volunteers > 2 * 978 && volunteers < 3 * 978, "some grids have a third volunteer, not all")
        let withAccounts = demo.team.filter { $0.username != nil }
        #expect(withAccounts.map(\.username) == ["gridleader", "gridworker"])
        #expect(withAccounts.map(\.position) == [.gridLeader, .fullTimeWorker])
    }

    @Test func departmentsAtEveryLevel() {
        // setup
        let byArea = Dictionary(grouping: demo.departments, by: \.areaCode)
        let knownAreas = Set(demo.areas.map(\.code))

        // validate
        #expect(Set(demo.departments.map(\.code)).count == demo.departments.count, "department codes are unique")
        #expect(demo.departments.allSatisfy { knownAreas.contains($0.areaCode) })
        let atCounty = byArea[DemoCounty.countyCode] ?? []
        #expect(atCounty.count == 29)
        for name in ["县公安局", "县市场监督管理局", "县应急管理局", "县消防救援大队", "市生态环境局安澜分局", "县综合行政执法局",
                     "县司法局", "县民政局", "县住房和城乡建设局", "县水利局", "县卫生健康局", "县人力资源和社会保障局",
                     "自然资源和规划局安澜分局", "县交通运输局", "县教育局", "县农业农村局", "县文化和广电旅游体育局"] {
            #expect(atCounty.contains { $0.name == name }, "\(name) is missing")
        }
        #expect(atCounty.first { $0.name == "县社会治理中心" }?.kind == .governanceCentre)
        #expect(atCounty.first { $0.name == "县公安局" }?.kind == .publicSecurity)
        let townshipKinds: [DepartmentKind] = [.governanceCentre, .publicSecurity, .marketRegulation, .justiceMediation,
                                               .urbanManagement, .emergencyManagement, .townshipOffice]
        for township in areas(.township) {
            let offices = byArea[township.code] ?? []
            #expect(offices.map(\.kind) == townshipKinds, "offices of \(township.code)")
            #expect(offices.allSatisfy { $0.name.hasPrefix(township.name) })
        }
        for village in areas(.village) {
            let committees = byArea[village.code] ?? []
            #expect(committees.map(\.kind) == [.villageCommittee], "committee of \(village.code)")
            #expect(committees.first?.name.hasSuffix("委员会") == true)
        }
        #expect(areas(.grid).allSatisfy { byArea[$0.code] == nil })
        #expect(demo.departments.count == 29 + 15 * 7 + 208)
        #expect(demo.departments.contains { $0.code == "330599-market_regulation" && $0.kind == .marketRegulation })
    }

    @Test func demoAccounts() throws {
        // setup
        let byName = Dictionary(demo.accounts.map { ($0.username, $0) }, uniquingKeysWith: { a, _ in a })
        let departments = Dictionary(demo.departments.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        let jurisdiction = Jurisdiction(areas: demo.areas)

        // validate
        #expect(byName.count == demo.accounts.count, "usernames are unique")
        #expect(Set(byName.keys) == ["admin", "leader", "operator", "handler", "mediator", "gridleader", "gridworker",
                                     "op_t01", "op_t02", "handler_t01", "leader_t01"])
        #expect(Set(demo.accounts.map(\.role)) == Set(Role.allCases))
        for account in demo.accounts {
            #expect(jurisdiction[account.areaCode] != nil, "\(account.username)'s area")
            #expect((account.departmentCode != nil) == account.role.needsDepartment, "\(account.username)'s department")
            #expect(!account.displayName.isEmpty)
        }
        let expected: [(String, Role, String)] = [
            ("admin", .admin, "330599"), ("leader", .leader, "330599"), ("operator", .operator, "330599"),
            ("handler", .handler, "330599"), ("mediator", .mediator, "330599001"), ("op_t01", .operator, "330599001"),
            ("op_t02", .operator, "330599002"), ("handler_t01", .handler, "330599001"), ("leader_t01", .leader, "330599001"),
        ]
        for (username, role, area) in expected {
            #expect(byName[username]?.role == role && byName[username]?.areaCode == area, "\(username)")
        }
        let countyMarket = try #require(departments[byName["handler"]?.departmentCode ?? ""])
        #expect(countyMarket.kind == .marketRegulation && countyMarket.areaCode == "330599")
        let townshipMarket = try #require(departments[byName["handler_t01"]?.departmentCode ?? ""])
        #expect(townshipMarket.kind == .marketRegulation && townshipMarket.areaCode == "330599001")
        #expect(townshipMarket.name.hasSuffix("市场监管所"))

        for (username, role, position) in [("gridleader", Role.gridLeader, TeamPosition.gridLeader),
                                           ("gridworker", .gridWorker, .fullTimeWorker)] {
            let account = try #require(byName[username])
            #expect(account.role == role)
            #expect(jurisdiction[account.areaCode]?.level == .grid)
            #expect(jurisdiction.isWithin(account.areaCode, ancestor: "330599001"))
            let member = try #require(demo.team.first { $0.username == username })
            #expect(member.gridCode == account.areaCode && member.position == position)
            #expect(member.name == account.displayName)
        }
        #expect(byName["gridleader"]?.areaCode == byName["gridworker"]?.areaCode)
    }

    // MARK: determinism

    @Test func sameSeedSameCountyOtherSeedOtherCounty() {
        // MUT
        let again = DemoCounty.generate(seed: 0)
        let other = DemoCounty.generate(seed: 1)

        // validate
        #expect(again.areas == demo.areas)
        #expect(again.departments == demo.departments)
        #expect(again.team == demo.team)
        #expect(again.accounts == demo.accounts)
        #expect(other.areas[0].boundary != demo.areas[0].boundary)
        #expect(zip(other.areas, demo.areas).filter { $0.boundary == $1.boundary }.isEmpty)
        #expect(other.areas.filter { $0.level == .grid }.count == 978)
        #expect(other.areas.filter { $0.level == .village }.count == 208)
    }

    /// The generator uses no platform-dependent arithmetic (no libm, no hashing order), so seed 0 gives these exact
    /// bits everywhere. When the generator is changed on purpose, update the fingerprint.
    @Test func fingerprintOfSeedZero() {
        // MUT
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        func feed(_ value: UInt64) {
            for shift in stride(from: 0, to: 64, by: 8) {
                hash = (hash ^ ((value >> UInt64(shift)) & 0xFF)) &* 0x0000_0100_0000_01B3
            }
        }
        for area in demo.areas {
            for byte in (area.code + area.name).utf8 { feed(UInt64(byte)) }
            feed(UInt64(area.population))
            for polygon in area.boundary!.polygons {
                for ring in [polygon.outer] + polygon.holes {
                    for p in ring.points {
                        feed(p.lon.bitPattern)
                        feed(p.lat.bitPattern)
                    }
                }
            }
        }
        for member in demo.team {
            for byte in (member.name + (member.phone ?? "")).utf8 { feed(UInt64(byte)) }
        }

        // validate
        #expect(hash == Self.seedZeroFingerprint, "fingerprint \(String(hash, radix: 16))")
    }

    static let seedZeroFingerprint: UInt64 = 0x4666_5234_C532_E2FB

    // MARK: geometry

    @Test func everyBoundaryValidatesAndIsOnePiece() throws {
        for area in demo.areas {
            // setup
            let boundary = try #require(area.boundary, "\(area.code) has no boundary")
            let raw = boundary.polygons.map { p in ([p.outer] + p.holes).map(\.points) }

            // MUT
            let rebuilt = try MultiPolygon.validated(raw)

            // validate
            #expect(rebuilt == boundary)
            #expect(boundary.polygons.count == 1, "\(area.code) is one connected region")
            #expect(boundary.polygons.allSatisfy { $0.outer.signedDoubleArea > 0 && $0.holes.allSatisfy { $0.signedDoubleArea < 0 } },
                    "\(area.code): outer rings counter-clockwise, holes clockwise")
        }
    }

    @Test func boundariesSurviveGeoJSON() throws {
        for area in demo.areas.filter({ $0.level < .grid }) + areas(.grid).prefix(50) {
            // setup
            let boundary = try #require(area.boundary)

            // MUT
            let text = GeoJSONGeometry(boundary).jsonText()
            let parsed = try GeoJSONGeometry.parse(text).boundary()

            // validate
            #expect(parsed == boundary, "\(area.code) changes on its way through GeoJSON")
        }
    }

    @Test func calibratedToAnji() throws {
        // setup
        let boundary = try #require(county.boundary)
        let box = boundary.bbox
        let km2 = boundary.area * 95.8 * 111.0  // square degrees to km² at 30.6° N

        // validate
        #expect((119.18...119.30).contains(box.minLon) && (119.81...119.93).contains(box.maxLon), "\(box)")
        #expect((30.33...30.45).contains(box.minLat) && (30.81...30.93).contains(box.maxLat), "\(box)")
        #expect((1_800...1_970).contains(km2), "area \(km2) km²")
        #expect(boundary.area < 0.8 * box.width * box.height, "an irregular outline, not a rectangle")
        #expect(boundary.vertexCount > 500)
    }

    @Test func childrenTileTheirParentsExactly() throws {
        // setup
        let children = Self.children(of: demo.areas)
        let grids = areas(.grid)

        // validate: exact (integer micro-degree) areas; the coordinates are multiples of 1e-6.
        for parent in demo.areas where parent.level < .grid {
            let kids = try #require(children[parent.code])
            let sum = kids.reduce(Int64(0)) { $0 + Self.doubleAreaInMicroDegrees($1.boundary!) }
            #expect(sum == Self.doubleAreaInMicroDegrees(parent.boundary!), "children of \(parent.code)")
        }
        let gridSum = grids.reduce(0.0) { $0 + $1.boundary!.area }
        #expect(abs(gridSum - county.boundary!.area) / county.boundary!.area < 1e-9)
    }

    @Test func gridEdgesAreSharedByTwoGridsOrLieOnTheCountyBorder() throws {
        // setup
        let edges = Self.gridEdges(areas(.grid))
        let countyEdges = Set(Self.edges(of: try #require(county.boundary)))

        // validate
        #expect(edges.values.allSatisfy { (1...2).contains($0.count) }, "no edge is used by three grids")
        let outer = Set(edges.filter { $0.value.count == 1 }.keys)
        #expect(outer == countyEdges, "the grids' unshared edges are exactly the county's border")
    }

    @Test func randomPointsLieInExactlyOneGridAndItsAncestors() throws {
        // setup
        let grids = areas(.grid), villages = areas(.village), townships = areas(.township)
        let countyBoundary = try #require(county.boundary)
        let box = countyBoundary.bbox
        let gridBuckets = BoxBuckets(grids.map { $0.boundary!.bbox }, over: box)
        let villageBuckets = BoxBuckets(villages.map { $0.boundary!.bbox }, over: box)
        let jurisdiction = Jurisdiction(areas: demo.areas)
        var random = TestRandom(seed: 20_261_123)
        var inside = 0
        var problems: [String] = []

        // MUT
        for _ in 0..<20_000 {
            let p = GeoPoint(lon: box.minLon + random.unit() * box.width, lat: box.minLat + random.unit() * box.height)
            let gridHits = gridBuckets.candidates(p).filter { grids[$0].boundary!.contains(p) }.map { grids[$0] }
            let villageHits = villageBuckets.candidates(p).filter { villages[$0].boundary!.contains(p) }
            let townshipHits = townships.filter { $0.boundary!.contains(p) }
            let located = jurisdiction.locate(p)
            if countyBoundary.contains(p) {
                inside += 1
                guard gridHits.count == 1 else {
                    problems.append("\(p) in \(gridHits.count) grids")
                    continue
                }
                let grid = gridHits[0]
                if villageHits.map({ villages[$0].code }) != [grid.parentCode!] {
                    problems.append("\(p): grid \(grid.code) but villages \(villageHits.map { villages[$0].code })")
                }
                if townshipHits.map(\.code) != [String(grid.code.prefix(9))] {
                    problems.append("\(p): grid \(grid.code) but townships \(townshipHits.map(\.code))")
                }
                if located.chain.map(\.code) != [grid.code, grid.parentCode!, String(grid.code.prefix(9)), county.code] {
                    problems.append("\(p): grid \(grid.code) but located in \(located.chain.map(\.code))")
                }
            } else if !gridHits.isEmpty || !villageHits.isEmpty || !townshipHits.isEmpty || !located.isOutside {
                problems.append("\(p) is outside the county but in \(gridHits.map(\.code)) \(located.chain.map(\.code))")
            }
        }

        // validate
        #expect(problems.isEmpty, "\(problems.count) problems, e.g. \(problems.prefix(5))")
        #expect(inside > 9_000 && inside < 19_000, "\(inside) of 20,000 points inside the county")
    }

    @Test func pointsOnSharedEdgesAndVerticesLieInExactlyOneGrid() throws {
        // setup
        let grids = areas(.grid)
        let edges = Self.gridEdges(grids)
        var vertexOwners: [GeoPoint: Set<Int>] = [:]
        for (edge, owners) in edges {
            vertexOwners[edge.a, default: []].formUnion(owners)
            vertexOwners[edge.b, default: []].formUnion(owners)
        }
        let countyVertices = Set(try #require(county.boundary).polygons.flatMap { p in ([p.outer] + p.holes).flatMap(\.points) })
        let buckets = BoxBuckets(grids.map { $0.boundary!.bbox }, over: county.boundary!.bbox)
        let jurisdiction = Jurisdiction(areas: demo.areas)
        var probes: [(point: GeoPoint, owners: Set<Int>)] = []
        for (edge, owners) in edges where owners.count == 2 {
            probes.append((GeoPoint(lon: (edge.a.lon + edge.b.lon) / 2, lat: (edge.a.lat + edge.b.lat) / 2), Set(owners)))
        }
        let sharedEdges = probes.count
        for (vertex, owners) in vertexOwners where owners.count >= 2 && !countyVertices.contains(vertex) {
            probes.append((vertex, owners))
        }
        var problems: [String] = []

        // MUT
        for probe in probes {
            let hits = buckets.candidates(probe.point).filter { grids[$0].boundary!.contains(probe.point) }
            if hits.count != 1 || !probe.owners.contains(hits[0]) {
                problems.append("\(probe.point): in \(hits.map { grids[$0].code }), shared by \(probe.owners.map { grids[$0].code })")
            } else if jurisdiction.locate(probe.point).smallest?.code != grids[hits[0]].code {
                problems.append("\(probe.point): locate disagrees with contains")
            }
        }

        // validate
        #expect(sharedEdges > 20_000, "\(sharedEdges) shared edges")
        #expect(probes.count - sharedEdges > 15_000, "\(probes.count - sharedEdges) shared vertices")
        #expect(problems.isEmpty, "\(problems.count) problems, e.g. \(problems.prefix(5))")
    }

    // MARK: helpers

    /// Twice the area in square micro-degrees, exactly: the coordinates are whole micro-degrees, shifted near zero.
    static func doubleAreaInMicroDegrees(_ boundary: MultiPolygon) -> Int64 {
        func micro(_ x: Double, _ origin: Int64) -> Int64 { Int64((x * 1_000_000).rounded()) - origin }
        var total: Int64 = 0
        for polygon in boundary.polygons {
            for ring in [polygon.outer] + polygon.holes {
                var sum: Int64 = 0
                for i in 0..<(ring.points.count - 1) {
                    let a = ring.points[i], b = ring.points[i + 1]
                    sum += micro(a.lon, 119_000_000) * micro(b.lat, 30_000_000) - micro(b.lon, 119_000_000) * micro(a.lat, 30_000_000)
                }
                total += sum  // holes are clockwise, so they subtract themselves
            }
        }
        return total
    }

    struct Edge: Hashable {
        var a: GeoPoint, b: GeoPoint
        init(_ p: GeoPoint, _ q: GeoPoint) {
            (a, b) = (p.lon, p.lat) < (q.lon, q.lat) ? (p, q) : (q, p)
        }
    }

    static func edges(of boundary: MultiPolygon) -> [Edge] {
        boundary.polygons.flatMap { p in
            ([p.outer] + p.holes).flatMap { ring in (0..<(ring.points.count - 1)).map { Edge(ring.points[$0], ring.points[$0 + 1]) } }
        }
    }

    /// Every edge of every grid ring, with the grids (by index) that use it.
    static func gridEdges(_ grids: [Area]) -> [Edge: [Int]] {
        var result: [Edge: [Int]] = [:]
        for (i, grid) in grids.enumerated() {
            for edge in edges(of: grid.boundary!) { result[edge, default: []].append(i) }
        }
        return result
    }
}

/// Boxes bucketed on a 64 × 64 mesh: a plain prefilter so the brute-force tests need not try every area.
private struct BoxBuckets {
    private let box: BoundingBox
    private let side = 64
    private var buckets: [[Int]]

    init(_ boxes: [BoundingBox], over box: BoundingBox) {
        self.box = box
        buckets = Array(repeating: [], count: side * side)
        for (i, b) in boxes.enumerated() {
            let (c0, r0) = bucket(GeoPoint(lon: b.minLon, lat: b.minLat)), (c1, r1) = bucket(GeoPoint(lon: b.maxLon, lat: b.maxLat))
            for r in r0...r1 { for c in c0...c1 { buckets[r * side + c].append(i) } }
        }
    }

    private func bucket(_ p: GeoPoint) -> (Int, Int) {
        let c = Int((p.lon - box.minLon) / box.width * Double(side)), r = Int((p.lat - box.minLat) / box.height * Double(side))
        return (min(side - 1, max(0, c)), min(side - 1, max(0, r)))
    }

    func candidates(_ p: GeoPoint) -> [Int] {
        guard box.contains(p) else { return [] }
        let (c, r) = bucket(p)
        return buckets[r * side + c]
    }
}

/// SplitMix64 for the sample points, independent of the generator under test.
private struct TestRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func unit() -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Double((z ^ (z >> 31)) >> 11) * 0x1.0p-53
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
