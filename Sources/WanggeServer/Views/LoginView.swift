enum LoginView {
    static func render(_ ctx: PageContext, error: String?, username: String, next: String) -> String {
        let l = ctx.lang
        let err: HTML = error.map { "<p class=\"field-error\" id=\"login-error\" role=\"alert\">\($0)</p>" } ?? ""
        let described: HTML = error == nil ? "" : " aria-describedby=\"login-error\" aria-invalid=\"true\""
        return Layout.page(l.t(.signIn), ctx, bodyClass: "login", """
        <section class="card narrow">
          <h1>\(l.t(.appTitle))</h1>
          <form method="post" action="\(SitePath.login.link())" class="stack">
            <input type="hidden" name="next" value="\(next)">
            <input type="hidden" name="csrf" value="\(ctx.csrf)">
            <label for="username">\(l.t(.username))</label>
            <input id="username" name="username" autocomplete="username" required value="\(username)"\(described)>
            <label for="password">\(l.t(.password))</label>
            <input id="password" name="password" type="password" autocomplete="current-password" required\(described)>
            \(err)
            <button type="submit" class="primary">\(l.t(.signIn))</button>
          </form>
        </section>
        """)
    }
}
