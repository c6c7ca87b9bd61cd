//! Markdown conversion ahead of the sequential render, on the other cores.
//!
//! Jekyll renders pages one after another and that order is observable (`increment`
//! counters, `layout` data and other pages' `content` carry over), so the real render stays
//! sequential. But converting Markdown is a pure function of its input text. Worker threads
//! run ahead of the render: for each upcoming Markdown page they render its body's Liquid
//! against the site as it is before rendering, convert the result, and park both texts here.
//! The sequential render still renders every body's Liquid itself and takes the parked HTML
//! only when its own Liquid output is byte-identical to the text the worker converted; any
//! other case (a body that reads `content`, a counter, a page rendered meanwhile, an error)
//! converts as before. The output is the same bytes either way.
//!
//! Not for: Sass, layouts, or anything whose result depends on render order.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};

use super::{extract_excerpt, parse_template, EntryDrop, Ref, SiteHost};
use crate::liquid::{Context, Hash, Template};
use crate::site::config::Profile;
use crate::site::convert::{self, Converter};
use crate::site::model::{Document, Site};

/// How far workers may run ahead of the render (bounds the parked HTML in memory).
const WINDOW: usize = 128;

/// What a worker prepared for one page: parsed templates, and (Liquid output, HTML) pairs.
#[derive(Default)]
pub(super) struct Spec {
    pub excerpt_tpl: Option<Arc<Template>>,
    pub excerpt: Option<(String, String)>,
    pub body_tpl: Option<Arc<Template>>,
    pub body: Option<(String, String)>,
}

enum Slot {
    Free,
    Working,
    Done(Spec),
    Taken,
}

/// One job: a page or document, in render order, and whether its excerpt is rendered.
pub(super) struct Job {
    pub r: Ref,
    pub excerpt_sep: Option<String>,
    /// The page's `layout` front matter.
    pub layout: Option<serde_norway::Value>,
}

pub(super) struct Pipeline<'a> {
    site: &'a Site,
    host: &'a SiteHost,
    shared: &'a Arc<super::Shared>,
    fresh: &'a Hash,
    profile: Profile,
    jobs: Vec<Job>,
    slots: Mutex<Vec<Slot>>,
    ready: Condvar,
    /// The render's position in `jobs`.
    at: AtomicUsize,
    workers: Mutex<Vec<std::thread::Thread>>,
}

impl<'a> Pipeline<'a> {
    pub fn new(
        site: &'a Site,
        host: &'a SiteHost,
        shared: &'a Arc<super::Shared>,
        fresh: &'a Hash,
        jobs: Vec<Job>,
    ) -> Self {
        let slots = jobs.iter().map(|_| Slot::Free).collect();
        Pipeline {
            site,
            host,
            shared,
            fresh,
            profile: site.config.profile,
            jobs,
            slots: Mutex::new(slots),
            ready: Condvar::new(),
            at: AtomicUsize::new(0),
            workers: Mutex::new(vec![]),
        }
    }

    pub fn jobs(&self) -> &[Job] {
        &self.jobs
    }

    fn doc(&self, r: Ref) -> &'a Document {
        match r {
            Ref::Page(i) => &self.site.pages[i],
            Ref::Doc(i) => &self.site.docs[i],
        }
    }

    /// A worker's loop: claims free jobs in order, never more than [`WINDOW`] ahead.
    pub fn work(&self) {
        if let Ok(mut w) = self.workers.lock() {
            w.push(std::thread::current());
        }
        let mut k = 0;
        while k < self.jobs.len() {
            let at = self.at.load(Ordering::Acquire);
            if k < at {
                k = at;
                continue;
            }
            if k >= at + WINDOW {
                std::thread::park_timeout(std::time::Duration::from_millis(5));
                continue;
            }
            let claimed = match self.slots.lock() {
                Ok(mut s) if matches!(s[k], Slot::Free) => {
                    s[k] = Slot::Working;
                    true
                }
                Ok(_) => false,
                Err(_) => return,
            };
            if claimed {
                let spec = self.prepare(&self.jobs[k]);
                if let Ok(mut s) = self.slots.lock() {
                    s[k] = Slot::Done(spec);
                }
                self.ready.notify_all();
            }
            k += 1;
        }
    }

    /// The render takes job `k`'s preparation (waiting if a worker is on it), or an empty one
    /// when no worker got to it. Job `k` must be the render's next job.
    pub fn take(&self, k: usize) -> Spec {
        let spec = {
            let Ok(mut s) = self.slots.lock() else {
                return Spec::default();
            };
            loop {
                match std::mem::replace(&mut s[k], Slot::Taken) {
                    Slot::Working => {
                        s[k] = Slot::Working;
                        // Rather than wait for the worker, prepare a later job none has
                        // claimed: when the workers fall behind, the render shares their work
                        // instead of idling (it waited up to a quarter of a render before).
                        let end = self.jobs.len().min(k + WINDOW);
                        if let Some(j) = (k + 1..end).find(|&j| matches!(s[j], Slot::Free)) {
                            s[j] = Slot::Working;
                            drop(s);
                            let spec = self.prepare(&self.jobs[j]);
                            s = match self.slots.lock() {
                                Ok(s) => s,
                                Err(_) => return Spec::default(),
                            };
                            s[j] = Slot::Done(spec);
                            continue;
                        }
                        s = match self.ready.wait(s) {
                            Ok(s) => s,
                            Err(_) => return Spec::default(),
                        };
                    }
                    Slot::Done(spec) => break spec,
                    Slot::Free | Slot::Taken => break Spec::default(),
                }
            }
        };
        self.at.store(k + 1, Ordering::Release);
        if let Ok(w) = self.workers.lock() {
            for t in w.iter() {
                t.unpark();
            }
        }
        spec
    }

    /// Stops the workers (the render is over or failed).
    pub fn finish(&self) {
        self.at.store(self.jobs.len(), Ordering::Release);
        if let Ok(w) = self.workers.lock() {
            for t in w.iter() {
                t.unpark();
            }
        }
    }

    fn render(&self, t: &Template, doc: &Document, r: Ref) -> Option<String> {
        let mut globals = self.fresh.clone();
        globals.insert("page".into(), EntryDrop::value(self.shared, r));
        let mut ctx = Context::with_globals(self.host, globals);
        ctx.set_page_path(&doc.relative_path);
        t.render(&mut ctx).ok()
    }

    /// The Liquid output of `t` and its Markdown conversion, when both can be had ahead.
    fn convert(
        &self,
        t: Option<&Arc<Template>>,
        doc: &Document,
        r: Ref,
    ) -> Option<(String, String)> {
        let text = self.render(t?, doc, r)?;
        let html = convert::markdownify(&text, &self.host.kramdown);
        Some((text, html))
    }

    fn parse(&self, src: &str, doc: &Document) -> Option<Arc<Template>> {
        parse_template(
            self.host,
            src,
            &doc.relative_path,
            &doc.source_path,
            doc.body_line,
        )
        .ok()
        .map(Arc::new)
    }

    fn prepare(&self, job: &Job) -> Spec {
        let doc = self.doc(job.r);
        let markdown = matches!(
            convert::converter_for(&self.site.config, &doc.ext),
            Converter::Markdown
        );
        let mut spec = Spec::default();
        // Still the raw body: the render replaces it only after taking this job.
        let raw = self.shared.content(job.r);
        if let Some(sep) = &job.excerpt_sep {
            let ex = extract_excerpt(&raw, sep, self.profile);
            spec.excerpt_tpl = self.parse(&ex, doc);
            if markdown {
                spec.excerpt = self.convert(spec.excerpt_tpl.as_ref(), doc, job.r);
            }
        }
        spec.body_tpl = self.parse(&raw, doc);
        if markdown {
            spec.body = self.convert(spec.body_tpl.as_ref(), doc, job.r);
        }
        spec
    }
}
