/* Stands in for ICU's data library (libicudata.so.72, 30 MB): an empty ICU common-data package.
 * In the VM only dig pulls ICU in (bind9-libs -> libxml2 -> libicuuc) and never converts text with it;
 * a lookup in this package fails like missing ICU data (U_FILE_ACCESS_ERROR), it does not crash. */
struct icu_common_data {
    unsigned short header_size;
    unsigned char magic1, magic2;
    struct {
        unsigned short size, reserved_word;
        unsigned char is_big_endian, charset_family, sizeof_uchar, reserved_byte;
        unsigned char data_format[4], format_version[4], data_version[4];
    } info;
    unsigned char padding[8];
    unsigned int toc_count;
};

__attribute__((visibility("default"))) const struct icu_common_data icudt72_dat = {
    32, 0xda, 0x27,
    {20, 0, 0, 0, 2, 0, {'C', 'm', 'n', 'D'}, {1, 0, 0, 0}, {72, 1, 0, 0}},
    {0},
    0,
};
