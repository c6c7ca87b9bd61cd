//! The GitHub Pages plugins that change the site before rendering (Jekyll "generators"), in
//! Jekyll's priority order: jekyll-optional-front-matter (normal), jekyll-readme-index (low),
//! then jekyll-default-layout, jekyll-titles-from-headings and jekyll-relative-links (lowest).
//! Plugins that render their own files (feed, sitemap, SEO tag) live in `generated`.
//! Not for Liquid tags or filters.

use serde_norway::{Mapping, Value};

use super::config::{key, Config, Profile};
use super::convert;
use super::filter::EntryFilter;
use super::model::{Document, Site};
use super::reader::Reader;
use super::url;
use crate::error::Result;

const BLACKLIST: &[&str] = &[
    "README",
    "LICENSE",
    "LICENCE",
    "COPYING",
    "CODE_OF_CONDUCT",
    "CONTRIBUTING",
    "ISSUE_TEMPLATE",
    "PULL_REQUEST_TEMPLATE",
];

/// Whether a plugin is active: Pages enables its defaults whatever the config says; Jekyll 4
/// loads only the listed ones (a theme's gemspec dependencies count as listed).
pub fn enabled(config: &Config, name: &str, theme_deps: &[&str]) -> bool {
    config.has_plugin(name) || theme_deps.contains(&name)
}

fn option_false(config: &Config, section: &str, k: &str) -> bool {
    matches!(config.get(section), Some(Value::Mapping(m)) if m.get(key(k)) == Some(&Value::Bool(false)))
}

fn option_true(config: &Config, section: &str, k: &str) -> bool {
    matches!(config.get(section), Some(Value::Mapping(m)) if m.get(key(k)) == Some(&Value::Bool(true)))
}

/// Runs the generators that apply to `site`.
pub fn generate(site: &mut Site, theme_deps: &[&str]) -> Result<()> {
    let cfg = site.config.clone();
    if enabled(&cfg, "jekyll-optional-front-matter", theme_deps) {
        optional_front_matter(site)?;
    }
    if enabled(&cfg, "jekyll-redirect-from", theme_deps) {
        redirect_from(site)?;
    }
    if enabled(&cfg, "jekyll-readme-index", theme_deps) {
        readme_index(site)?;
    }
    if enabled(&cfg, "jekyll-default-layout", theme_deps) {
        default_layout(site);
    }
    if enabled(&cfg, "jekyll-titles-from-headings", theme_deps) {
        titles_from_headings(site);
    }
    if enabled(&cfg, "jekyll-relative-links", theme_deps) {
        relative_links(site);
    }
    if enabled(&cfg, "jekyll-paginate", theme_deps) {
        paginate(site);
    }
    if enabled(&cfg, "jekyll-feed", theme_deps) {
        feed(site)?;
    }
    if enabled(&cfg, "jekyll-sitemap", theme_deps) {
        sitemap(site)?;
    }
    Ok(())
}

fn page_from_static(site: &Site, rel: &str) -> Result<Document> {
    let rel = rel.trim_start_matches('/');
    let (dir, name) = match rel.rfind('/') {
        Some(i) => (&rel[..i], &rel[i + 1..]),
        None => ("", rel),
    };
    let reader_cfg = site.config.clone();
    // A reader only to apply front matter defaults the way page reading does.
    let theme = None;
    let r = ReaderShim::new(&reader_cfg, theme);
    r.page(&site.config.source, dir, name)
}

/// A thin wrapper so plugins can read pages with the reader's rules.
struct ReaderShim<'a> {
    config: &'a Config,
    theme: Option<&'a super::theme::Theme>,
}

impl<'a> ReaderShim<'a> {
    fn new(config: &'a Config, theme: Option<&'a super::theme::Theme>) -> Self {
        ReaderShim { config, theme }
    }
    fn page(&self, root: &std::path::Path, dir: &str, name: &str) -> Result<Document> {
        Reader::page_only(self.config, self.theme, root, dir, name)
    }
}

fn optional_front_matter(site: &mut Site) -> Result<()> {
    if option_false(&site.config, "optional_front_matter", "enabled")
        || matches!(
            site.config.get("require_front_matter"),
            Some(Value::Bool(true))
        )
    {
        return Ok(());
    }
    let filter = EntryFilter::new(&site.config);
    let mut add = vec![];
    for f in &site.static_files {
        if f.collection.is_some() || !site.config.is_markdown(&f.ext) {
            continue;
        }
        let stem = &f.name[..f.name.len() - f.ext.len()];
        let whitelisted = filter.included(f.relative_path.trim_start_matches('/'));
        if !whitelisted && BLACKLIST.contains(&stem.to_uppercase().as_str()) {
            continue;
        }
        add.push(f.relative_path.clone());
    }
    for rel in add {
        let p = page_from_static(site, &rel)?;
        site.pages.push(p);
    }
    Ok(())
}

fn readme_index(site: &mut Site) -> Result<()> {
    if option_false(&site.config, "readme_index", "enabled") {
        return Ok(());
    }
    // URLs are needed to find folders with an index.
    for p in site.pages.iter_mut() {
        if p.url.is_empty() {
            url::page_url(&site.config, p);
        }
    }
    let cfg = site.config.clone();
    let readmes: Vec<String> = site
        .static_files
        .iter()
        .filter(|f| {
            let stem = &f.name[..f.name.len() - f.ext.len()];
            f.collection.is_none() && stem.eq_ignore_ascii_case("readme") && cfg.is_markdown(&f.ext)
        })
        .map(|f| f.relative_path.clone())
        .collect();
    for rel in readmes {
        let dir_url = {
            let i = rel.rfind('/').unwrap_or(0);
            format!("{}/", &rel[..i])
        };
        let re = regex::Regex::new(&format!(
            r"(?i)^{}(?:$|index\.(html?|xhtml|xml)$)",
            regex::escape(&dir_url)
        ))
        .expect("re");
        let has_index = site.pages.iter().any(|p| re.is_match(&p.url))
            || site
                .static_files
                .iter()
                .any(|f| re.is_match(&f.relative_path));
        if has_index {
            continue;
        }
        let mut page = page_from_static(site, &rel)?;
        page.set("permalink", Value::String(dir_url));
        url::page_url(&cfg, &mut page);
        site.pages.push(page);
    }
    Ok(())
}

fn default_layout(site: &mut Site) {
    let has = |n: &str| site.layouts.contains_key(n);
    let (home, page_l, post_l, default) = (has("home"), has("page"), has("post"), has("default"));
    let cfg = site.config.clone();
    let pick = |d: &Document| -> Option<&'static str> {
        if d.url == "/" && home {
            Some("home")
        } else if d.is_page() && page_l {
            Some("page")
        } else if d.is_post() && post_l {
            Some("post")
        } else if default {
            Some("default")
        } else {
            None
        }
    };
    for p in site.pages.iter_mut() {
        if p.url.is_empty() {
            url::page_url(&cfg, p);
        }
        if cfg.is_markdown(&p.ext) && !p.data.contains_key(key("layout")) {
            if let Some(l) = pick(p) {
                p.set("layout", Value::String(l.into()));
            }
        }
    }
    let posts: Vec<usize> = site
        .collection("posts")
        .map(|c| c.docs.clone())
        .unwrap_or_default();
    for i in posts {
        let d = &mut site.docs[i];
        if cfg.is_markdown(&d.ext) && !d.data.contains_key(key("layout")) {
            let _ = url::document_url(&cfg, d);
            if let Some(l) = pick(d) {
                d.set("layout", Value::String(l.into()));
            }
        }
    }
}

/// The first `#`/`##`/`###` (ATX) or setext heading of the content, as the plugin's regex finds it.
pub fn heading_title(content: &str, opts: &crate::markdown::KramdownOptions) -> Option<String> {
    let re = crate::re::cached(r"\A\s*(?:#{1,3}\s+(.*)(?:\s+#{1,3})?|(.*)\r?\n[-=]+\s*)(?m:$)");
    let c = re.captures(content)?;
    let raw = c.get(1).or_else(|| c.get(2))?.as_str();
    let html = convert::markdownify(raw, opts);
    let text = strip_html(&html);
    let norm = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let foot = crate::re::cached(r"\[\^[^\]]*\]");
    Some(foot.replace_all(&norm, "").into_owned())
}

/// Jekyll's `strip_html`.
pub fn strip_html(s: &str) -> String {
    let a = crate::re::cached(r"(?is)<script.*?</script>").replace_all(s, "");
    let b = crate::re::cached(r"(?is)<!--.*?-->").replace_all(&a, "");
    let c = crate::re::cached(r"(?is)<style.*?</style>").replace_all(&b, "");
    crate::re::cached(r"(?s)<.*?>")
        .replace_all(&c, "")
        .into_owned()
}

fn titles_from_headings(site: &mut Site) {
    if option_false(&site.config, "titles_from_headings", "enabled") {
        return;
    }
    let cfg = site.config.clone();
    let strip_opt = option_true(&cfg, "titles_from_headings", "strip_title");
    let kd = convert::kramdown_options(&cfg);
    let title_re =
        crate::re::cached(r"\A\s*(?:#{1,3}\s+(.*)(?:\s+#{1,3})?|(.*)\r?\n[-=]+\s*)(?m:$)");
    for p in site.pages.iter_mut() {
        if !cfg.is_markdown(&p.ext) {
            continue;
        }
        if !matches!(p.get("title"), None | Some(Value::Null)) {
            continue;
        }
        if let Some(t) = heading_title(&p.content, &kd) {
            p.set("title", Value::String(t));
            let strip = match p.get("strip_title") {
                Some(v) => v == &Value::Bool(true),
                None => strip_opt,
            };
            if strip {
                p.content = title_re.replace(&p.content, "").trim().to_string();
            }
        }
    }
}

fn relative_links(site: &mut Site) {
    if option_false(&site.config, "relative_links", "enabled") {
        return;
    }
    let cfg = site.config.clone();
    let collections = option_true(&cfg, "relative_links", "collections");
    // target relative path → URL
    for p in site.pages.iter_mut() {
        if p.url.is_empty() {
            url::page_url(&cfg, p);
        }
    }
    for f in site.static_files.iter_mut() {
        if f.url.is_empty() {
            url::static_url(&cfg, f);
        }
    }
    for d in site.docs.iter_mut() {
        if d.url.is_empty() {
            let _ = url::document_url(&cfg, d);
        }
    }
    let mut targets: Vec<(String, String)> = vec![];
    for p in &site.pages {
        targets.push((p.relative_path.clone(), p.url.clone()));
    }
    for f in &site.static_files {
        targets.push((
            f.relative_path.trim_start_matches('/').to_string(),
            f.url.clone(),
        ));
    }
    for d in &site.docs {
        if d.dest.is_some() {
            targets.push((d.relative_path.clone(), d.url.clone()));
        }
    }
    let baseurl = cfg.baseurl.clone();
    let v06 = cfg.profile == Profile::Pages;
    // Groups: inline 2..5 (text, path, fragment, title), reference 6..9. 0.6.1 (Pages) has
    // no title group: an empty group keeps the numbering.
    let pattern = if v06 {
        r"(\[(.*?)\]\(([^)]+?)(#.+?)?()\)|(?m:^)\s*?\[(.*?)\]: (.+?)(#.+?)?()\s*?(?m:$))"
    } else {
        r#"(\[(.*?)\]\(([^)]+?)(#.+?|)?(\s+"(?:\\"|[^"])*"|\s+'(?:\\'|[^'])*')?\)|(?m:^)\s*?\[(.*?)\]: (.+?)(#.+?|)?(\s+"(?:\\"|[^"])*"|\s+'(?:\\'|[^'])*')?\s*?(?m:$))"#
    };
    let re = regex::Regex::new(pattern).expect("link regex");
    let rewrite = |doc: &mut Document| {
        let url_base = match doc.relative_path.rfind('/') {
            Some(i) => doc.relative_path[..i].to_string(),
            None => String::new(),
        };
        let content = doc.content.clone();
        let out = re.replace_all(&content, |c: &regex::Captures| {
            let original = c[0].to_string();
            let inline_ty = c.get(2).is_some();
            let (text, path, frag, title) = if inline_ty {
                (c.get(2), c.get(3), c.get(4), c.get(5))
            } else {
                (c.get(6), c.get(7), c.get(8), c.get(9))
            };
            let text = text.map(|m| m.as_str()).unwrap_or("");
            let path = path.map(|m| m.as_str()).unwrap_or("");
            let frag = frag.map(|m| m.as_str()).unwrap_or("");
            let title = title.map(|m| m.as_str()).unwrap_or("");
            if path.starts_with('#') || is_absolute_url(path) {
                return original;
            }
            let abs = path.starts_with('/');
            let p = path.trim_start_matches('/');
            let base = if abs { "" } else { &url_base };
            let Some(resolved) = expand_path(p, base) else {
                return original;
            };
            let resolved = if v06 {
                resolved
            } else {
                url::unescape_path(&resolved)
            };
            let Some((_, target)) = targets.iter().find(|(r, _)| *r == resolved) else {
                return original;
            };
            let new = format!("{}{}", relative_url(&baseurl, target), frag);
            if inline_ty {
                format!("[{text}]({new}{title})")
            } else {
                format!("\n[{text}]: {new}{title}")
            }
        });
        doc.content = out.into_owned();
    };
    for p in site.pages.iter_mut() {
        if cfg.is_markdown(&p.ext) {
            rewrite(p);
        }
    }
    if collections {
        for d in site.docs.iter_mut() {
            if d.dest.is_some() && cfg.is_markdown(&d.ext) {
                rewrite(d);
            }
        }
    }
}

fn is_absolute_url(s: &str) -> bool {
    let re = crate::re::cached(r"^[A-Za-z][A-Za-z0-9+.-]*:");
    re.is_match(s)
}

/// `File.expand_path(rel, base)` relative to the source root; `None` if it leaves it.
fn expand_path(rel: &str, base: &str) -> Option<String> {
    let mut parts: Vec<&str> = base.split('/').filter(|p| !p.is_empty()).collect();
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// Jekyll's `relative_url` for a path.
pub fn relative_url(baseurl: &str, input: &str) -> String {
    let sep = if input.starts_with('/') { "" } else { "/" };
    let joined = format!("{}{}{}", baseurl.trim_end_matches('/'), sep, input);
    let p = url::escape_path(&joined);
    // ensure_leading_slash
    if p.starts_with('/') {
        p
    } else {
        format!("/{p}")
    }
}

/// `site.github` as jekyll-github-metadata gives it offline: values from the configuration and
/// `PAGES_REPO_NWO`; everything that needs the GitHub API is nil.
pub fn github_metadata(config: &Config) -> Mapping {
    let nwo = std::env::var("PAGES_REPO_NWO")
        .ok()
        .or_else(|| config.get_str("repository").map(String::from));
    let mut m = Mapping::new();
    let put = |m: &mut Mapping, k: &str, v: Value| {
        m.insert(key(k), v);
    };
    let s = |x: &str| Value::String(x.to_string());
    let host = "https://github.com";
    if let Some(nwo) = nwo {
        let (owner, name) = nwo.split_once('/').unwrap_or((&nwo, ""));
        put(&mut m, "environment", s("dotcom"));
        put(&mut m, "hostname", s("github.com"));
        put(&mut m, "pages_env", s("dotcom"));
        put(&mut m, "pages_hostname", s("github.io"));
        put(&mut m, "api_url", s("https://api.github.com"));
        put(&mut m, "help_url", s("https://help.github.com"));
        put(&mut m, "versions", Value::Mapping(Mapping::new()));
        put(&mut m, "public_repositories", Value::Sequence(vec![]));
        put(&mut m, "organization_members", Value::Null);
        put(
            &mut m,
            "build_revision",
            std::env::var("JEKYLL_BUILD_REVISION")
                .map(Value::String)
                .unwrap_or(Value::Null),
        );
        put(&mut m, "project_title", s(name));
        put(&mut m, "project_tagline", Value::Null);
        put(&mut m, "owner_name", s(owner));
        put(&mut m, "owner_url", s(&format!("{host}/{owner}")));
        put(
            &mut m,
            "owner_gravatar_url",
            s(&format!("{host}/{owner}.png")),
        );
        put(&mut m, "repository_url", s(&format!("{host}/{nwo}")));
        put(&mut m, "repository_nwo", s(&nwo));
        put(&mut m, "repository_name", s(name));
        put(
            &mut m,
            "zip_url",
            s(&format!("{host}/{nwo}/zipball/gh-pages")),
        );
        put(
            &mut m,
            "tar_url",
            s(&format!("{host}/{nwo}/tarball/gh-pages")),
        );
        put(&mut m, "clone_url", s(&format!("{host}/{nwo}.git")));
        put(&mut m, "releases_url", s(&format!("{host}/{nwo}/releases")));
        put(&mut m, "issues_url", s(&format!("{host}/{nwo}/issues")));
        put(&mut m, "wiki_url", Value::Null);
        put(&mut m, "language", Value::Null);
        put(&mut m, "is_user_page", Value::Bool(false));
        put(&mut m, "is_project_page", Value::Bool(true));
        put(&mut m, "show_downloads", Value::Null);
        put(
            &mut m,
            "url",
            config.get("url").cloned().unwrap_or(Value::Null),
        );
        put(
            &mut m,
            "baseurl",
            config.get("baseurl").cloned().unwrap_or(Value::Null),
        );
        put(&mut m, "contributors", Value::Sequence(vec![]));
        put(&mut m, "releases", Value::Sequence(vec![]));
        put(&mut m, "latest_release", Value::Bool(false));
        put(&mut m, "private", Value::Null);
        put(&mut m, "archived", Value::Null);
        put(&mut m, "disabled", Value::Null);
        put(&mut m, "license", Value::Null);
        put(&mut m, "source", Value::Null);
    }
    m
}

/// Removes whitespace after any of `markers` (Ruby's `gsub(/(?<=A|B)\s+/, "")` on templates).
pub fn minify_after(s: &str, markers: &[&str]) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.char_indices().peekable();
    while let Some((_, c)) = chars.next() {
        out.push(c);
        if markers.iter().any(|m| out.ends_with(m)) {
            while let Some(&(_, n)) = chars.peek() {
                if n.is_whitespace() {
                    chars.next();
                } else {
                    break;
                }
            }
        }
    }
    out
}

/// Where a plugin's bundled file lives (Debian installs jekyll-sitemap's templates in
/// `vendor_ruby`).
pub fn plugin_file(gem: &str, rel: &[&str]) -> Option<std::path::PathBuf> {
    let mut candidates = vec![];
    for r in rel {
        candidates.push(std::path::PathBuf::from("/usr/lib/ruby/vendor_ruby").join(r));
    }
    let (found, _) = super::theme::find(gem, std::path::Path::new("."));
    if let Some(t) = found {
        for r in rel {
            candidates.push(t.root.join("lib").join(r));
        }
    }
    candidates.into_iter().find(|p| p.is_file())
}

fn url_taken(site: &Site, url: &str) -> bool {
    site.pages.iter().any(|p| p.url == url) || site.static_files.iter().any(|f| f.url == url)
}

fn sitemap(site: &mut Site) -> Result<()> {
    let cfg = site.config.clone();
    for p in site.pages.iter_mut() {
        if p.url.is_empty() {
            url::page_url(&cfg, p);
        }
    }
    for f in site.static_files.iter_mut() {
        if f.url.is_empty() {
            url::static_url(&cfg, f);
        }
    }
    let missing = |what: &str| {
        crate::Error::input(format!(
            "jekyll-sitemap is enabled but its {what} template is not installed (apt-get install ruby-jekyll-sitemap)"
        ))
    };
    let add_sitemap = !url_taken(site, "/sitemap.xml");
    let add_robots = !url_taken(site, "/robots.txt");
    if add_sitemap {
        let path = plugin_file("jekyll-sitemap", &["sitemap.xml"])
            .ok_or_else(|| missing("sitemap.xml"))?;
        let text = crate::fsutil::read_text(&path)?;
        let mut data = Mapping::new();
        data.insert(key("layout"), Value::Null);
        data.insert(key("xsl"), Value::Bool(url_taken(site, "/sitemap.xsl")));
        let mut p = Document::virtual_page(
            "sitemap",
            "",
            "sitemap.xml",
            minify_after(&text, &[">\n", "}"]),
            data,
        );
        url::page_url(&cfg, &mut p);
        site.pages.push(p);
    }
    if add_robots {
        let path =
            plugin_file("jekyll-sitemap", &["robots.txt"]).ok_or_else(|| missing("robots.txt"))?;
        let text = crate::fsutil::read_text(&path)?;
        let mut data = Mapping::new();
        data.insert(key("layout"), Value::Null);
        let mut p = Document::virtual_page("robots", "", "robots.txt", text, data);
        url::page_url(&cfg, &mut p);
        site.pages.push(p);
    }
    Ok(())
}

/// jekyll-feed: an Atom feed of the posts at `feed.path` (default `feed.xml`), unless a file
/// is already there.
fn feed(site: &mut Site) -> Result<()> {
    let cfg = site.config.clone();
    let path = match cfg.get("feed") {
        Some(Value::Mapping(m)) => m
            .get(key("path"))
            .and_then(|v| v.as_str())
            .map(String::from),
        _ => None,
    }
    .unwrap_or_else(|| "feed.xml".into());
    if cfg.source.join(&path).exists() {
        return Ok(());
    }
    let template = plugin_file("jekyll-feed", &["jekyll-feed/feed.xml"]).ok_or_else(|| {
        crate::Error::input(
            "jekyll-feed is enabled but not installed (apt-get install ruby-jekyll-feed)",
        )
    })?;
    let text = crate::fsutil::read_text(&template)?;
    let mut data = Mapping::new();
    data.insert(key("layout"), Value::Null);
    data.insert(key("sitemap"), Value::Bool(false));
    data.insert(
        key("xsl"),
        Value::Bool(cfg.source.join("feed.xslt.xml").exists()),
    );
    data.insert(key("collection"), Value::String("posts".into()));
    data.insert(key("category"), Value::Null);
    data.insert(key("tags"), Value::Null);
    let (dir, name) = match path.trim_start_matches('/').rsplit_once('/') {
        Some((d, n)) => (d.to_string(), n.to_string()),
        None => (String::new(), path.trim_start_matches('/').to_string()),
    };
    let mut p = Document::virtual_page("feed", &dir, &name, minify_after(&text, &[">", "}"]), data);
    url::page_url(&cfg, &mut p);
    site.pages.push(p);
    Ok(())
}

/// The number of paginated pages for `posts` posts at `per_page` each.
pub fn pages_for(posts: usize, per_page: usize) -> usize {
    if per_page == 0 {
        0
    } else {
        posts.div_ceil(per_page)
    }
}

/// `Pager.paginate_path`: the URL of page `n` (page 1 is the template page's URL).
pub fn paginate_path(config: &Config, first_url: &str, n: usize) -> String {
    if n <= 1 {
        return first_url.to_string();
    }
    let fmt = config.get_str("paginate_path").unwrap_or("/page:num");
    let p = fmt.replacen(":num", &n.to_string(), 1);
    if p.starts_with('/') {
        p
    } else {
        format!("/{p}")
    }
}

/// jekyll-paginate 1.1.0: with `paginate: N`, the `index.html` in the pagination folder shows
/// page 1 and copies of it under `paginate_path` show the others.
fn paginate(site: &mut Site) {
    let cfg = site.config.clone();
    let per_page = match cfg.get("paginate") {
        Some(Value::Number(n)) => n.as_u64().unwrap_or(0) as usize,
        Some(Value::String(s)) => s.parse().unwrap_or(0),
        _ => return,
    };
    if per_page == 0 || site.pages.is_empty() {
        return;
    }
    for p in site.pages.iter_mut() {
        if p.url.is_empty() {
            url::page_url(&cfg, p);
        }
    }
    let fmt = cfg
        .get_str("paginate_path")
        .unwrap_or("/page:num")
        .trim_start_matches('/')
        .to_string();
    let pag_dir = match fmt.rfind('/') {
        Some(i) => fmt[..i].to_string(),
        None => String::new(),
    };
    // candidates: index.html whose folder is the pagination folder or one of its parents
    let mut best: Option<usize> = None;
    for (i, p) in site.pages.iter().enumerate() {
        if p.name != "index.html" || p.plugin.is_some() {
            continue;
        }
        let in_hierarchy =
            p.dir.is_empty() || pag_dir == p.dir || pag_dir.starts_with(&format!("{}/", p.dir));
        if in_hierarchy
            && best.is_none_or(|b| site.pages[b].relative_path.len() < p.relative_path.len())
        {
            best = Some(i);
        }
    }
    let Some(t) = best else {
        eprintln!("warning: pagination is enabled, but no index.html page in the `paginate_path` folder was found");
        return;
    };
    let posts = site
        .posts()
        .filter(|p| p.get("hidden") != Some(&Value::Bool(true)))
        .count();
    let total = pages_for(posts, per_page);
    if total == 0 {
        return;
    }
    site.pages[t].pager = Some(1);
    let first_url = site.pages[t].url.clone();
    for n in 2..=total {
        let mut p = site.pages[t].clone();
        p.pager = Some(n);
        p.dir = paginate_path(&cfg, &first_url, n)
            .trim_matches('/')
            .to_string();
        p.url.clear();
        url::page_url(&cfg, &mut p);
        site.pages.push(p);
    }
}

fn absolute(cfg: &Config, path: &str) -> String {
    let site_url = cfg.get_str("url").unwrap_or("");
    format!("{site_url}{}", relative_url(&cfg.baseurl, path))
}

fn redirect_page(cfg: &Config, from: &str, to: &str) -> Document {
    let from = if from.starts_with('/') {
        from.to_string()
    } else {
        format!("/{from}")
    };
    let to = if to.starts_with("http://") || to.starts_with("https://") {
        to.to_string()
    } else {
        absolute(cfg, to)
    };
    let mut data = Mapping::new();
    data.insert(key("sitemap"), Value::Bool(false));
    data.insert(key("layout"), Value::String("redirect".into()));
    data.insert(key("permalink"), Value::String(from.clone()));
    let mut r = Mapping::new();
    r.insert(key("from"), Value::String(from));
    r.insert(key("to"), Value::String(to));
    data.insert(key("redirect"), Value::Mapping(r));
    let mut p = Document::virtual_page("redirect", "", "redirect.html", String::new(), data);
    url::page_url(cfg, &mut p);
    p
}

/// jekyll-redirect-from 0.16: `redirect_from` makes redirect pages, `redirect_to` turns the
/// document into one; `redirects.json` lists them. The `redirect` layout is the gem's unless
/// the site has its own.
fn redirect_from(site: &mut Site) -> Result<()> {
    let cfg = site.config.clone();
    for p in site.pages.iter_mut() {
        if p.url.is_empty() {
            url::page_url(&cfg, p);
        }
    }
    for d in site.docs.iter_mut() {
        if d.url.is_empty() {
            url::document_url(&cfg, d)?;
        }
    }
    let froms = |d: &Document| -> Vec<String> {
        match d.get("redirect_from") {
            Some(Value::String(s)) => vec![s.clone()],
            Some(Value::Sequence(v)) => v
                .iter()
                .filter_map(|x| x.as_str().map(String::from))
                .collect(),
            _ => vec![],
        }
    };
    let to_of = |d: &Document| -> Option<String> {
        match d.get("redirect_to") {
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Sequence(v)) => v.first().and_then(|x| x.as_str().map(String::from)),
            _ => None,
        }
    };
    let mut redirects: Vec<(String, String)> = vec![];
    let mut new_pages = vec![];
    let doc_idx: Vec<usize> = (0..site.docs.len())
        .filter(|i| site.docs[*i].dest.is_some())
        .collect();
    let n_pages = site.pages.len();
    let handle =
        |d: &mut Document, new_pages: &mut Vec<Document>, redirects: &mut Vec<(String, String)>| {
            for f in froms(d) {
                let p = redirect_page(&cfg, &f, &d.url);
                if let Some(Value::Mapping(r)) = p.get("redirect") {
                    let g = |k: &str| {
                        r.get(key(k))
                            .and_then(|v| v.as_str())
                            .unwrap_or("")
                            .to_string()
                    };
                    redirects.push((g("from"), g("to")));
                }
                new_pages.push(p);
            }
            if let Some(to) = to_of(d) {
                let p = redirect_page(&cfg, &d.url, &to);
                for (k, v) in &p.data {
                    d.data.insert(k.clone(), v.clone());
                }
                d.content = String::new();
                if let Some(Value::Mapping(r)) = p.get("redirect") {
                    let g = |k: &str| {
                        r.get(key(k))
                            .and_then(|v| v.as_str())
                            .unwrap_or("")
                            .to_string()
                    };
                    redirects.push((g("from"), g("to")));
                }
            }
        };
    for i in doc_idx {
        handle(&mut site.docs[i], &mut new_pages, &mut redirects);
    }
    for i in 0..n_pages {
        handle(&mut site.pages[i], &mut new_pages, &mut redirects);
    }
    site.pages.extend(new_pages);
    if !site.layouts.contains_key("redirect") {
        if let Some(path) = plugin_file(
            "jekyll-redirect-from",
            &["jekyll-redirect-from/redirect.html"],
        ) {
            let content = crate::fsutil::read_text(&path)?;
            site.layouts.insert(
                "redirect".into(),
                super::model::Layout {
                    name: "redirect".into(),
                    path: path.clone(),
                    relative_path: "redirect.html".into(),
                    data: Mapping::new(),
                    content,
                    body_line: 1,
                },
            );
        }
    }
    let json_off = matches!(cfg.get("redirect_from"), Some(Value::Mapping(m)) if m.get(key("json")) == Some(&Value::Bool(false)));
    if !json_off && !cfg.source.join("redirects.json").exists() {
        let mut obj = serde_json::Map::new();
        for (f, t) in redirects {
            obj.insert(f, serde_json::Value::String(t));
        }
        let mut data = Mapping::new();
        data.insert(key("layout"), Value::Null);
        let text =
            serde_json::to_string(&serde_json::Value::Object(obj)).unwrap_or_else(|_| "{}".into());
        let mut p = Document::virtual_page("redirects", "", "redirects.json", text, data);
        url::page_url(&cfg, &mut p);
        site.pages.push(p);
    }
    Ok(())
}
