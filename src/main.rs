fn main() {
    mass_updater::mount_to_body();
}
