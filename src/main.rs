fn main() {
    mass_updater::start_standalone();
}
