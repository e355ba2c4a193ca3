use clap::Parser;

fn main() -> std::process::ExitCode {
    jury::cli::main_with(jury::cli::Cli::parse())
}
