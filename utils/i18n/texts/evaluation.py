"""UI strings of the evaluation page (Evaluasi Kabupaten) and its one-page PDF report."""

STRINGS: dict[str, tuple[str, str]] = {
    "ev_title": ("Evaluasi Program per Kabupaten/Kota", "Programme evaluation per regency/city"),
    "ev_intro": ("Rapor 15 kabupaten/kota s.d. {date} terhadap target {year}; perubahan peringkat dibanding "
                 "{prev}. Warna: hijau = target tercapai, kuning = ≥ 85% dari target, merah = di bawahnya.",
                 "Scorecard of the 15 regencies/cities up to {date} against the {year} targets; rank change "
                 "against {prev}. Colours: green = target met, amber = ≥ 85% of target, red = below."),
    "ev_scorecard": ("Rapor kabupaten/kota", "Regency/city scorecard"),
    "ev_show": ("Isi sel", "Cell shows"),
    "ev_show_value": ("Nilai", "Value"),
    "ev_show_target": ("Target", "Target"),
    "ev_show_gap": ("Selisih dari target", "Gap to target"),
    "ev_col_region": ("Kabupaten/Kota", "Regency/City"),
    "ev_col_composite": ("Skor komposit", "Composite score"),
    "ev_col_rank": ("Peringkat", "Rank"),
    "ev_col_change": ("Perubahan", "Change"),
    "ev_col_indicator": ("Indikator", "Indicator"),
    "ev_col_value": ("Nilai", "Value"),
    "ev_col_target": ("Target", "Target"),
    "ev_col_gap": ("Selisih", "Gap"),
    "ev_col_status": ("Status", "Status"),
    "ev_col_weight": ("Bobot", "Weight"),
    "ev_col_definition": ("Definisi", "Definition"),
    "ev_col_source": ("Tabel sumber", "Source table"),
    "ev_col_kecamatan": ("Kecamatan", "District"),
    "ev_col_village": ("Desa/Kelurahan", "Village"),
    "ev_col_stage": ("Tahap adopsi", "Adoption stage"),
    "ev_col_participants": ("Peserta Bimtek", "Bimtek participants"),
    "ev_col_days": ("Hari sejak pembaruan", "Days since update"),
    "ev_col_idm": ("Status IDM", "IDM status"),
    "ev_col_signal": ("Sinyal", "Signal"),
    "ev_col_who": ("Pihak", "Body"),
    "ev_col_activity": ("Kegiatan", "Activity"),
    "ev_col_desa": ("Jumlah desa", "Desa"),
    "ev_col_gain": ("Tambahan nilai IDM per desa (rata-rata, skala 0–1)", "IDM score gain per desa (mean, 0–1 scale)"),
    "ev_col_digital": ("Sinyal/internet", "Signal/internet"),
    "ev_col_villages": ("Desa/kel.", "Villages"),
    "ev_status_green": ("tercapai", "met"),
    "ev_status_amber": ("mendekati", "close"),
    "ev_status_red": ("tertinggal", "behind"),
    "ev_status_not_applicable": ("tidak berlaku", "not applicable"),
    "ev_status_no_data": ("tidak ada data", "no data"),
    "ev_days": ("{n} hari", "{n} days"),
    "ev_day_one": ("{n} hari", "{n} day"),
    "ev_points": ("{n} poin", "{n} pts"),
    "ev_basis_province": ("pembanding: rata-rata provinsi {value}", "benchmark: province {value}"),
    "ev_kota_note": ("**{names}** tidak memiliki desa (hanya kelurahan): indikator adopsi \u201ctidak berlaku\u201d "
                     "dan tidak ikut diperingkat; cakupan Bimtek dan kesegaran data tetap dinilai, dan skor "
                     "kompositnya dihitung dari indikator yang berlaku saja.",
                     "**{names}** have no desa (only kelurahan): adoption indicators are \u201cnot applicable\u201d "
                     "and not ranked; Bimtek coverage and data freshness still apply, and their composite is "
                     "computed over the applicable indicators only."),
    "ev_nodata_note": ("Tidak ada data untuk: {items}. Indikator itu tidak diberi nilai nol: wilayahnya tidak "
                       "diperingkat pada indikator tersebut dan bobotnya dibagi ke indikator lain.",
                       "No data for: {items}. These are not scored zero: the region is left out of that "
                       "indicator's rank and its weight goes to the other indicators."),
    "ev_ties_note": ("Nilai yang sama (dibulatkan seperti ditampilkan) berbagi peringkat.",
                     "Equal values (rounded as shown) share a rank."),
    "ev_weights": ("Bobot skor komposit (simulasi)", "Composite score weights (what-if)"),
    "ev_weights_help": ("Ubah bobot untuk melihat pengaruhnya pada skor dan peringkat. Bobot yang tidak berjumlah "
                        "100% dinormalkan.",
                        "Change the weights to see their effect on score and rank. Weights that do not sum to "
                        "100% are normalised."),
    "ev_weights_reset": ("Kembalikan bobot bawaan", "Restore default weights"),
    "ev_weights_normalised": ("Bobot yang dimasukkan berjumlah {total}%, bukan 100%: bobot dinormalkan menjadi "
                              "{values}.",
                              "The weights entered sum to {total}%, not 100%: normalised to {values}."),
    "ev_weights_zero": ("Semua bobot nol: skor memakai bobot bawaan.", "All weights are zero: default weights used."),
    "ev_weights_custom": ("Simulasi: skor dan peringkat memakai bobot yang diubah, bukan bobot bawaan.",
                          "What-if: score and rank use changed weights, not the defaults."),
    "ev_composite_chart": ("Skor komposit dan peringkat", "Composite score and rank"),
    "ev_detail": ("Rincian kabupaten/kota", "Regency/city detail"),
    "ev_pick": ("Kabupaten/kota yang dirinci", "Regency/city in detail"),
    "ev_metric_composite": ("Skor komposit", "Composite score"),
    "ev_metric_rank": ("Peringkat", "Rank"),
    "ev_rank_of": ("{rank} dari {n}", "{rank} of {n}"),
    # A leading "+"/"-" tells st.metric the direction (moving up the ranking is good).
    "ev_rank_up": ("+{n} peringkat (naik) sejak {prev}", "+{n} places (up) since {prev}"),
    "ev_rank_down": ("-{n} peringkat (turun) sejak {prev}", "-{n} places (down) since {prev}"),
    "ev_rank_same": ("tetap sejak {prev}", "unchanged since {prev}"),
    "ev_metric_weakest": ("Indikator terlemah", "Weakest indicator"),
    "ev_none": ("tidak ada", "none"),
    "ev_trend": ("Tren indikator per akhir triwulan", "Indicator trend at quarter ends"),
    "ev_trend_target": ("target", "target"),
    "ev_kec_title": ("Kecamatan pada indikator terlemah: {indicator}", "Districts on the weakest indicator: {indicator}"),
    "ev_kec_na": ("Kecamatan tanpa desa: \u201ctidak berlaku\u201d, tidak diperingkat.",
                  "Districts without desa: \u201cnot applicable\u201d, not ranked."),
    "ev_down_title": ("Desa/kelurahan yang menarik nilai ke bawah ({n})", "Villages pulling the figure down ({n})"),
    "ev_down_caption": ("Belum memenuhi indikator \u201c{indicator}\u201d, yang paling tertinggal lebih dulu; "
                        "{weak} di antaranya bersinyal lemah atau tanpa sinyal (IDM 2024, Kemendesa, rekomendasi).",
                        "Not meeting \u201c{indicator}\u201d, furthest behind first; {weak} of them have weak or "
                        "no signal (IDM 2024, Kemendesa, recommendations)."),
    "ev_down_more": ("Ditampilkan {shown} dari {n}; daftar lengkap di CSV.", "Showing {shown} of {n}; full list in the CSV."),
    "ev_context": ("Konteks di luar kinerja program", "Context beyond programme performance"),
    "ev_context_caption": ("Status IDM dan sinyal/internet tidak dinilai dalam skor: keduanya menjelaskan apakah "
                           "ketertinggalan karena infrastruktur, bukan karena program.",
                           "IDM status and signal/internet are not scored: they show whether lagging is down to "
                           "infrastructure rather than the programme."),
    "ev_signal_gap": ("Desa sinyal lemah/tanpa sinyal", "Desa with weak/no signal"),
    "ev_signal_gap_delta": ("provinsi {value}", "province {value}"),
    "ev_infra_warning": ("Celah sinyal di sini ({value}) di atas rata-rata provinsi ({prov}): ketertinggalan adopsi "
                         "sebagian karena infrastruktur, bukan semata kinerja program.",
                         "The signal gap here ({value}) is above the province's ({prov}): lagging adoption is "
                         "partly down to infrastructure, not programme performance alone."),
    "ev_no_desa_context": ("Tidak ada desa: IDM dan data sinyal tidak tersedia (kelurahan tidak dinilai IDM).",
                           "No desa: IDM and signal data do not exist here (kelurahan are not scored by IDM)."),
    "ev_followups": ("Tindak lanjut menurut IDM 2024 (Kemendesa, rekomendasi)",
                     "Follow-ups from IDM 2024 (Kemendesa, recommendations)"),
    "ev_followups_caption": ("Kegiatan yang direkomendasikan Kemendesa untuk {n} desa yang menarik nilai ke bawah, "
                             "dikelompokkan menurut pihak yang dapat bertindak. Kegiatan sinyal/internet didahulukan.",
                             "Activities Kemendesa recommends for the {n} desa pulling the figure down, grouped by "
                             "who can act. Signal/internet activities first."),
    "ev_followups_none": ("Tidak ada rekomendasi IDM untuk desa/kelurahan ini (kelurahan tidak dinilai; desa yang "
                          "nilainya dari edisi Satu Data tidak memiliki baris rekomendasi).",
                          "No IDM recommendations for these villages (kelurahan are not scored; desa whose value "
                          "comes from the Satu Data edition have no recommendation rows)."),
    "ev_actor_pusat": ("Pusat", "Central government"),
    "ev_actor_provinsi": ("Provinsi", "Province"),
    "ev_actor_kabupaten": ("Kabupaten", "Regency"),
    "ev_actor_desa": ("Desa", "Village"),
    "ev_actor_swasta": ("Swasta", "Private sector"),
    "ev_actor_masyarakat": ("Masyarakat", "Community"),
    "ev_pdf": ("Unduh laporan 1 halaman (PDF) {name}", "Download the one-page report (PDF) for {name}"),
    "ev_compare": ("Bandingkan dua kabupaten/kota", "Compare two regencies/cities"),
    "ev_compare_a": ("Kabupaten/kota A", "Regency/city A"),
    "ev_compare_b": ("Kabupaten/kota B", "Regency/city B"),
    "ev_compare_diff": ("Selisih A \u2212 B", "Difference A \u2212 B"),
    "ev_compare_same": ("Pilih dua kabupaten/kota yang berbeda.", "Pick two different regencies/cities."),
    "ev_method": ("Metodologi", "Methodology"),
    "ev_method_text": (
        "**Nilai** tiap indikator dihitung dari data program s.d. akhir periode (tabel bersama indikator per "
        "wilayah). **Target** diambil dari tabel target tahun berjalan (target kabupaten/kota, atau target "
        "provinsi bila kabupaten tidak punya); indikator tanpa target resmi dibandingkan dengan rata-rata "
        "provinsi, dan kesegaran data memakai target {fresh} hari. **Capaian** = nilai ÷ target (untuk "
        "kesegaran: target ÷ nilai), dalam persen. **Status**: hijau bila capaian ≥ {green}%, kuning bila ≥ "
        "{amber}%, merah di bawahnya. **Selisih** = nilai − target (kesegaran: target − hari), positif berarti "
        "di atas target. **Skor komposit** = rata-rata tertimbang capaian (dibatasi 100) dari indikator yang "
        "berlaku dan ada datanya; bobot indikator yang \u201ctidak berlaku\u201d atau \u201ctidak ada data\u201d "
        "dibagi ke indikator lain, sehingga tidak dihitung nol. **Peringkat**: skor tertinggi = 1; nilai sama "
        "(satu desimal) berbagi peringkat. **Perubahan peringkat** dibanding akhir triwulan sebelumnya dengan "
        "bobot yang sama. Indikator adopsi dihitung atas desa saja (kelurahan dan dua kota: tidak berlaku); "
        "Bimtek atas desa dan kelurahan.",
        "**Values** come from the programme data up to the period end (the shared per-region indicator table). "
        "**Targets** come from the year's target table (the regency's own, else the province's); indicators "
        "without an official target are compared with the province average, and data freshness uses a target "
        "of {fresh} days. **Attainment** = value ÷ target (freshness: target ÷ value), in percent. **Status**: "
        "green when attainment ≥ {green}%, amber when ≥ {amber}%, red below. **Gap** = value − target "
        "(freshness: target − days), positive means ahead. **Composite score** = weighted mean of attainment "
        "(capped at 100) over the indicators that apply and have data; the weight of \u201cnot applicable\u201d "
        "or \u201cno data\u201d indicators goes to the others, so they are never scored zero. **Rank**: highest "
        "score = 1; equal values (one decimal) share a rank. **Rank change** against the previous quarter end "
        "with the same weights. Adoption indicators count desa only (kelurahan and the two cities: not "
        "applicable); Bimtek counts desa and kelurahan."),
    "ev_method_target_official": ("target tahunan ({name})", "annual target ({name})"),
    "ev_method_target_province": ("rata-rata provinsi", "province average"),
    "ev_method_target_days": ("≤ {n} hari", "≤ {n} days"),
    # Scorecard indicators (utils.metrics.evaluation.INDICATORS), per id: name, short name for column headings
    # and small charts (the name where there is no "_short" key) and definition.
    "ind_joined_label": ("Desa bergabung", "Desa joined"),
    "ind_joined_def": ("Persentase desa yang sudah bergabung (tahap Bergabung atau lebih lanjut) dari seluruh desa; "
                       "kelurahan tidak dihitung.",
                       "Share of desa that have joined (stage Joined or deeper) out of all desa; kelurahan not counted."),
    "ind_services_label": ("Kedalaman implementasi (layanan aktif)", "Implementation depth (services in use)"),
    "ind_services_short": ("Layanan aktif", "Services in use"),
    "ind_services_def": ("Persentase desa yang sudah mencapai tahap Layanan aktif (layanan Smart Village dipakai warga).",
                         "Share of desa at stage Services in use (Smart Village services used by residents) or deeper."),
    "ind_bimtek_label": ("Cakupan Bimtek (≥ 2 peserta)", "Bimtek coverage (≥ 2 trained)"),
    "ind_bimtek_short": ("Bimtek ≥ 2 peserta", "Bimtek ≥ 2 trained"),
    "ind_bimtek_def": ("Persentase desa dan kelurahan yang sudah mengirim sedikitnya dua peserta Bimtek (operator, "
                       "sekretaris atau kepala desa). Berlaku juga di kelurahan dan kota.",
                       "Share of desa and kelurahan with at least two Bimtek participants (operator, secretary or "
                       "village head). Applies to kelurahan and the two cities too."),
    "ind_breadth_label": ("Keluasan layanan (ketiga pilar)", "Breadth of use (all three pillars)"),
    "ind_breadth_short": ("Ketiga pilar", "All three pillars"),
    "ind_breadth_def": ("Di antara desa yang memakai layanan, persentase yang memakai layanan di ketiga pilar "
                        "(Pemerintahan, Ekonomi Kreatif, Pemberdayaan). Diukur di antara desa pemakai layanan, jadi "
                        "tidak menghitung ulang desa yang sudah dihitung Layanan aktif.",
                        "Among the desa that use services, the share using a service in all three pillars (Governance, "
                        "Creative economy, Empowerment). Measured among the desa that use services, so it does not "
                        "count again the desa Services in use counts."),
    "ind_integrated_label": ("Kelengkapan data (data terintegrasi)", "Data completeness (data integrated)"),
    "ind_integrated_short": ("Data terintegrasi", "Data integrated"),
    "ind_integrated_def": ("Persentase desa yang datanya sudah terintegrasi dengan sistem provinsi (tahap Data "
                           "terintegrasi).",
                           "Share of desa whose data is integrated with the provincial system (stage Data integrated)."),
    "ind_fresh_label": ("Kesegaran data (hari sejak pembaruan)", "Data freshness (days since update)"),
    "ind_fresh_short": ("Kesegaran (hari)", "Freshness (days)"),
    "ind_fresh_def": ("Jumlah hari dari catatan program terbaru kabupaten/kota (tahap, layanan, petugas, Bimtek) "
                      "sampai akhir periode. Makin kecil makin baik.",
                      "Days from the region's latest programme record (stage, service, officer, Bimtek) to the period "
                      "end. Lower is better."),
    "ev_data_error": ("Data evaluasi tidak dapat dihitung: {error}", "The evaluation could not be computed: {error}"),
    # PDF report
    "ev_pdf_title": ("Evaluasi Program Smart Village: {name}", "Smart Village programme evaluation: {name}"),
    "ev_pdf_subtitle": ("Data s.d. {date} · Skor komposit {score} · Peringkat {rank} · {change}",
                        "Data up to {date} · Composite score {score} · Rank {rank} · {change}"),
    "ev_pdf_issues": ("Masalah utama", "Top issues"),
    "ev_pdf_issue_weakest": ("Indikator terlemah: {indicator} {value} (target {target}).",
                             "Weakest indicator: {indicator} {value} (target {target})."),
    "ev_pdf_issue_red": ("Di bawah 85% target: {items}.", "Below 85% of target: {items}."),
    "ev_pdf_issue_kec": ("Kecamatan terlemah pada indikator itu: {items}.", "Weakest districts on it: {items}."),
    "ev_pdf_issue_down": ("{n} desa/kelurahan belum memenuhi indikator itu.", "{n} villages do not yet meet it."),
    "ev_pdf_issue_infra": ("Sinyal lemah/tanpa sinyal di {value} desa (provinsi {prov}).",
                           "Weak/no signal in {value} of desa (province {prov})."),
    "ev_pdf_followups": ("Tindak lanjut (IDM 2024, Kemendesa, rekomendasi), menurut pihak",
                         "Follow-ups (IDM 2024, Kemendesa, recommendations), by who can act"),
    "ev_pdf_followup_row": ("{who}: {activity} ({n} desa)", "{who}: {activity} ({n} desa)"),
    "ev_pdf_footer": ("Dinas PMDT Provinsi Lampung · dibuat {date} · {demo}", "Dinas PMDT Lampung Province · generated {date} · {demo}"),
    "ev_pdf_demo": ("DATA CONTOH, bukan data resmi", "SAMPLE DATA (data contoh), not official"),
    "ev_pdf_real": ("data unggahan Dinas", "office uploads"),
}
