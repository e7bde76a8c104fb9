// placeholder until the CLI lands in this change
int main() { return 0; }
