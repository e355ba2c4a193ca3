fn main() -> std::process::ExitCode {
    // `--help` in the language of --lang or the locale (issue 17).
    jury::cli::main_with(jury::cli::Cli::parse_localised())
}
