//! A progress bar on stderr for imports that read many documents: shown only once reading has
//! taken more than a moment, and only on a terminal (indicatif draws nothing otherwise).

use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long reading may take before the bar appears.
const SHOWN_AFTER: Duration = Duration::from_millis(400);

pub struct ReadingBar {
    bar: ProgressBar,
    started: Mutex<Option<Instant>>,
}

impl ReadingBar {
    pub fn new(lang: crate::i18n::Lang) -> Self {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        let template = format!(
            "{} {{bar:30}} {{pos}}/{{len}} {{elapsed}}",
            crate::i18n::cli_zhlast::texts(lang).reading
        );
        if let Ok(style) = ProgressStyle::with_template(&template) {
            bar.set_style(style.progress_chars("#>-"));
        }
        ReadingBar {
            bar,
            started: Mutex::new(None),
        }
    }
}

impl crate::app::import::Progress for ReadingBar {
    fn start(&self, total: usize) {
        self.bar.set_length(total as u64);
        if let Ok(mut started) = self.started.lock() {
            *started = Some(Instant::now());
        }
    }

    fn read_one(&self) {
        self.bar.inc(1);
        let Ok(mut started) = self.started.lock() else { return };
        if let Some(at) = *started
            && at.elapsed() > SHOWN_AFTER
        {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
            *started = None;
        }
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
