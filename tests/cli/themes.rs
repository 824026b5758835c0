//! Themes: the built-in theme, a site's own template overrides, a theme folder on disk, and
//! `static/` files.

use crate::harness::{Site, broken_links, duplicate_ids, repo_root};

/// A minimal theme: every required template, each saying which one it is.
fn plain_theme(site: Site) -> Site {
    let mut site = site;
    for name in [
        "index", "story", "page", "section", "tag", "tags", "author", "404",
    ] {
        site = site.file(
            &format!("themes/plain/templates/{name}.html"),
            format!(
                "<!doctype html>\n<html><head><title>{name}</title></head>\
                 <body><h1 id=\"plain-{name}\">{name}</h1></body></html>\n"
            ),
        );
    }
    site.file("themes/plain/static/plain.css", "body { color: black; }\n")
}

fn one_story() -> Site {
    Site::new().story(
        "world/talks.md",
        "headline: Talks\ndate: 2025-05-19 10:00",
        "Body.\n",
    )
}

#[test]
fn site_without_a_theme_folder_uses_the_built_in_theme() {
    let site = one_story();
    assert!(!site.root().join("themes").exists());
    let run = site.build();
    run.assert_success();
    let built_in = std::fs::read(repo_root().join("themes/default/static/style.css"))
        .expect("the repository's default theme");
    assert_eq!(run.bytes("style.css"), built_in);
    let page = run.page("/world/2025/05/talks/");
    assert_eq!(page.text("header.masthead a.brand"), "Test Gazette");
    assert_eq!(page.text("h1.story-headline"), "Talks");
}

#[test]
fn site_template_overrides_one_built_in_template() {
    let site = one_story().file(
        "templates/story.html",
        "{% extends \"base.html\" %}\n{% block main %}\n\
         <article class=\"custom-story\"><h1>{{ story.headline }}</h1>{{ story.content | safe }}</article>\n\
         {% endblock main %}\n",
    );
    let run = site.build();
    run.assert_success();
    let story = run.page("/world/2025/05/talks/");
    assert_eq!(story.text("article.custom-story h1"), "Talks");
    assert_eq!(story.count("article.story"), 0);
    assert_eq!(
        story.text("header.masthead a.brand"),
        "Test Gazette",
        "the override extends the built-in base template"
    );
    let front = run.page("/");
    assert_eq!(front.count(".custom-story"), 0);
    assert_eq!(
        front.attrs(".card-headline a", "href"),
        ["/world/2025/05/talks/"]
    );
}

#[test]
fn theme_folder_on_disk_replaces_the_built_in_theme() {
    let site = plain_theme(one_story().config("theme = \"plain\""));
    let run = site.build();
    run.assert_success();
    assert_eq!(run.page("/").text("h1#plain-index"), "index");
    assert_eq!(
        run.page("/world/2025/05/talks/").text("h1#plain-story"),
        "story"
    );
    assert_eq!(run.page("/world/").text("h1#plain-section"), "section");
    assert_eq!(run.page("/tags/").text("h1#plain-tags"), "tags");
    assert_eq!(run.page("/404.html").text("h1#plain-404"), "404");
    assert_eq!(run.read("plain.css"), "body { color: black; }\n");
    assert!(
        !run.exists("style.css"),
        "the built-in theme's files are not mixed in"
    );
}

#[test]
fn default_theme_folder_on_disk_replaces_the_built_in_default() {
    let site = plain_theme(one_story());
    let plain = site.root().join("themes/plain");
    std::fs::rename(&plain, site.root().join("themes/default")).expect("rename the theme");
    let run = site.build();
    run.assert_success();
    assert_eq!(run.page("/").text("h1#plain-index"), "index");
    assert!(!run.exists("style.css"));
}

#[test]
fn site_templates_override_a_theme_folder_too() {
    let site = plain_theme(one_story().config("theme = \"plain\"")).file(
        "templates/story.html",
        "<h1 class=\"site-override\">{{ story.headline }}</h1>\n",
    );
    let run = site.build();
    run.assert_success();
    assert_eq!(
        run.page("/world/2025/05/talks/").text("h1.site-override"),
        "Talks"
    );
    assert_eq!(run.page("/").text("h1#plain-index"), "index");
}

#[test]
fn static_files_are_copied_and_override_theme_files() {
    let logo = b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n";
    let site = one_story()
        .file("static/images/logo.svg", logo)
        .file("static/style.css", "/* the site's own style */\n")
        .file("static/.hidden", "not published");
    let run = site.build();
    run.assert_success();
    assert_eq!(run.bytes("images/logo.svg"), logo);
    assert_eq!(run.read("style.css"), "/* the site's own style */\n");
    assert!(!run.exists(".hidden"), "hidden files are not published");
}

#[test]
fn a_theme_missing_a_required_template_is_an_error() {
    let site = plain_theme(one_story().config("theme = \"plain\""));
    std::fs::remove_file(site.root().join("themes/plain/templates/author.html"))
        .expect("remove a template");
    let run = site.build();
    run.assert_failure();
    let error = run.single_error();
    assert_eq!(error.message, "the theme has no `author.html` template");
    assert!(error.help.is_some(), "{}", error.text);
}

#[test]
fn an_unknown_theme_name_is_an_error_in_site_toml() {
    let run = one_story().config("theme = \"nope\"").build();
    run.assert_failure();
    let error = run.single_error();
    assert!(error.location.starts_with("site.toml"), "{}", error.text);
    assert_eq!(error.message, "the theme `nope` does not exist");
    assert!(
        error
            .help
            .as_deref()
            .is_some_and(|h| h.contains("themes/nope/")),
        "{}",
        error.text
    );
}

#[test]
fn site_with_every_page_the_theme_links_to_has_no_broken_links() {
    let run = Site::fixture("newsroom").build_with(&["--drafts", "--future"]);
    run.assert_success();
    assert_eq!(broken_links(&run, ""), Vec::<String>::new());
    assert_eq!(duplicate_ids(&run), Vec::<String>::new());
}

#[test]
fn built_in_theme_links_only_to_pages_that_exist() {
    let run = one_story().build();
    run.assert_success();
    assert_eq!(broken_links(&run, ""), Vec::<String>::new());
}

#[test]
fn site_template_extends_the_themes_template_of_the_same_name() {
    let site = one_story().file(
        "templates/base.html",
        "{% extends \"theme/base.html\" %}\n\
         {% block head %}<meta name=\"newsroom-wide\" content=\"yes\">{% endblock head %}\n",
    );
    let run = site.build();
    run.assert_success();
    let front = run.page("/");
    assert_eq!(front.attrs("meta[name=newsroom-wide]", "content"), ["yes"]);
    assert_eq!(
        front.text("header.masthead a.brand"),
        "Test Gazette",
        "the rest of the theme's base.html is kept"
    );
    // The theme's other templates extend "base.html": now the site's, which builds on theirs.
    let story = run.page("/world/2025/05/talks/");
    assert_eq!(story.text("h1.story-headline"), "Talks");
    assert_eq!(story.text("header.masthead a.brand"), "Test Gazette");
    // Templates that fill the head block themselves keep the site's addition too.
    for page in ["/world/2025/05/talks/", "/404.html", "/search/"] {
        let meta = run.page(page).attrs("meta[name=newsroom-wide]", "content");
        assert_eq!(meta, ["yes"], "{page}");
    }
}

#[test]
fn site_template_that_extends_its_own_name_is_an_error_that_shows_the_way() {
    let site = one_story().file(
        "templates/base.html",
        "{% extends \"base.html\" %}\n{% block head %}<meta name=\"x\">{% endblock head %}\n",
    );
    let run = site.build();
    run.assert_failure();
    let error = run.single_error();
    assert_eq!(error.location, "templates/base.html:1:1", "{}", error.text);
    assert_eq!(error.message, "template error: `base.html` extends itself");
    assert!(
        error
            .help
            .as_deref()
            .is_some_and(|h| h.contains("{% extends \"theme/base.html\" %}")),
        "{}",
        error.text
    );
}

#[test]
fn templates_that_extend_each_other_are_one_error_at_the_first() {
    let site = one_story()
        .file("templates/a.html", "{% extends \"b.html\" %}\n")
        .file("templates/b.html", "\n{% extends \"a.html\" %}\n");
    let run = site.build();
    run.assert_failure();
    let error = run.single_error();
    assert_eq!(error.location, "templates/a.html:1:1", "{}", error.text);
    assert!(
        error.message.contains("a.html -> b.html -> a.html"),
        "{}",
        error.text
    );
}

#[test]
fn an_if_never_closed_is_reported_at_its_opening_tag() {
    let site = one_story().file(
        "templates/story.html",
        "{% extends \"base.html\" %}\n{% block main %}\n<article>\n  {%- if story.dek %}\n\
         <p class=\"dek\">{{ story.dek }}</p>\n\
         {% for tag in story.tags %}<a>{{ tag.name }}</a>{% endfor %}\n\
         </article>\n{% endblock main %}\n",
    );
    let run = site.build();
    run.assert_failure();
    let error = run.single_error();
    assert_eq!(error.location, "templates/story.html:4:3", "{}", error.text);
    assert_eq!(
        error.message,
        "template error: `{% if story.dek %}` is never closed"
    );
    assert_eq!(
        error.help.as_deref(),
        Some("add `{% endif %}` where its part ends, before `{% endblock main %}` on line 8")
    );
}

#[test]
fn unclosed_and_stray_tags_in_a_theme_folder_are_reported_in_their_own_file() {
    let site = plain_theme(one_story().config("theme = \"plain\""))
        .file(
            "themes/plain/templates/tag.html",
            "<h1>{{ tag.name }}</h1>\n{% endfor %}\n",
        )
        .file(
            "themes/plain/templates/author.html",
            "<ul>\n{% for story in paginator.stories %}\n<li>{{ story.headline }}</li>\n",
        );
    let run = site.build();
    run.assert_failure();
    let found: Vec<(String, String)> = run
        .diagnostics()
        .into_iter()
        .map(|d| (d.location, d.message))
        .collect();
    assert_eq!(
        found,
        [
            (
                "themes/plain/templates/author.html:2:1".to_string(),
                "template error: `{% for story in paginator.stories %}` is never closed"
                    .to_string()
            ),
            (
                "themes/plain/templates/tag.html:2:1".to_string(),
                "template error: `{% endfor %}` closes nothing that is open".to_string()
            ),
        ],
        "both, in one run: {}",
        run.stderr
    );
}
