// The mnemonic-id table. Every decoded instruction has one id (a family: the
// printed text may add a suffix, as `ldadd` + `al` + `h`); the scan counts by
// id, the function analysis tests ids, and the listing reports them.
//
// Adding a mnemonic: add a member to `Mn` (anywhere before `COUNT`), then run
//   npx tsx src/engine/tools/gen-mnemonics.ts
// which rewrites NAMES below from the member names (lowercase; `_COND` is
// dropped so `B_COND` prints `b` and the decoder appends `.eq`). The test
// test/arm64-mnemonics.test.ts fails when NAMES is stale.

export const enum Mn {
  UNKNOWN,
  UDF,

  // PC-relative, add/sub, logical, move wide, bitfield, extract
  ADR, ADRP, ADD, ADDS, SUB, SUBS, CMP, CMN, MOV, MOVZ, MOVN, MOVK,
  AND, ANDS, ORR, EOR, TST, BIC, BICS, ORN, EON, MVN, NEG, NEGS,
  ADC, ADCS, SBC, SBCS, NGC, NGCS, RMIF, SETF8, SETF16,
  SBFM, BFM, UBFM, ASR, LSL, LSR, ROR, SXTB, SXTH, SXTW, UXTB, UXTH,
  SBFIZ, SBFX, UBFIZ, UBFX, BFI, BFXIL, BFC, EXTR,
  CCMN, CCMP, CSEL, CSINC, CSINV, CSNEG, CSET, CSETM, CINC, CINV, CNEG,
  MADD, MSUB, MUL, MNEG, SMADDL, SMSUBL, UMADDL, UMSUBL, SMULL, SMNEGL, UMULL, UMNEGL, SMULH, UMULH,
  UDIV, SDIV, LSLV, LSRV, ASRV, RORV,
  CRC32B, CRC32H, CRC32W, CRC32X, CRC32CB, CRC32CH, CRC32CW, CRC32CX,
  RBIT, REV16, REV32, REV, CLZ, CLS, CTZ, CNT, ABS, SMAX, SMIN, UMAX, UMIN,
  MADDPT, MSUBPT, ADDPT, SUBPT,

  // MTE
  ADDG, SUBG, IRG, GMI, SUBP, SUBPS, CMPP, LDG, STG, STZG, ST2G, STZ2G, STGP, LDGM, STGM, STZGM,

  // Pointer authentication: keep this block contiguous (PAC_FIRST..PAC_LAST)
  PACIA, PACIB, PACDA, PACDB, AUTIA, AUTIB, AUTDA, AUTDB,
  PACIZA, PACIZB, PACDZA, PACDZB, AUTIZA, AUTIZB, AUTDZA, AUTDZB,
  XPACI, XPACD, PACGA,
  PACIA1716, PACIB1716, AUTIA1716, AUTIB1716, XPACLRI,
  PACIAZ, PACIASP, PACIBZ, PACIBSP, AUTIAZ, AUTIASP, AUTIBZ, AUTIBSP,
  RETAA, RETAB, BRAA, BRAB, BRAAZ, BRABZ, BLRAA, BLRAB, BLRAAZ, BLRABZ, ERETAA, ERETAB,
  LDRAA, LDRAB,
  // FEAT_PAuth_LR
  PACM, PACIASPPC, PACIBSPPC, PACNBIASPPC, PACNBIBSPPC, AUTIASPPC, AUTIBSPPC, AUTIASPPCR, AUTIBSPPCR,
  PACIA171615, PACIB171615, AUTIA171615, AUTIB171615, RETAASPPC, RETABSPPC, RETAASPPCR, RETABSPPCR,

  BTI,

  // Branches, exceptions, system
  B, BL, B_COND, BC_COND, CBZ, CBNZ, TBZ, TBNZ, BR, BLR, RET, ERET, DRPS,
  SVC, HVC, SMC, BRK, HLT, DCPS1, DCPS2, DCPS3, TCANCEL,
  HINT, NOP, YIELD, WFE, WFI, SEV, SEVL, DGH, ESB, PSB, TSB, GCSB, CSDB, CLRBHB, CHKFEAT,
  CLREX, DMB, DSB, ISB, SB, SSBB, PSSBB,
  MSR, MRS, MSRR, MRRS, SYS, SYSL, SYSP, DC, IC, AT, TLBI, TLBIP, CFP, DVP, CPP, COSP, BRB, GCSPUSHM, GCSPOPM, GCSSS1, GCSSS2,
  GCSPUSHX, GCSPOPX, GCSPOPCX, TRCIT,
  CFINV, XAFLAG, AXFLAG, WFET, WFIT, TSTART, TTEST, TCOMMIT, SMSTART, SMSTOP,

  // Loads and stores
  LDR, LDRB, LDRH, LDRSB, LDRSH, LDRSW, STR, STRB, STRH,
  LDUR, LDURB, LDURH, LDURSB, LDURSH, LDURSW, STUR, STURB, STURH,
  LDTR, LDTRB, LDTRH, LDTRSB, LDTRSH, LDTRSW, STTR, STTRB, STTRH,
  PRFM, PRFUM, LDP, STP, LDNP, STNP, LDPSW,
  STXR, STLXR, LDXR, LDAXR, STXP, STLXP, LDXP, LDAXP,
  STLR, LDAR, STLLR, LDLAR, LDAPR, LDAPUR, STLUR,
  LDAPURSB, LDAPURSH, LDAPURSW,
  CAS, CASP,
  // LSE atomics: the text adds ordering and size suffixes (`ldaddalh`)
  LDADD, LDCLR, LDEOR, LDSET, LDSMAX, LDSMIN, LDUMAX, LDUMIN, SWP,
  STADD, STCLR, STEOR, STSET, STSMAX, STSMIN, STUMAX, STUMIN,
  LD64B, ST64B, ST64BV, ST64BV0,
  LDIAPP, STILP,
  // FEAT_MOPS (text adds the option suffix: cpyfprtn), FEAT_LSE128, FEAT_THE (RCW*), RPRFM, GCS stores
  CPYFP, CPYFM, CPYFE, CPYP, CPYM, CPYE, SETP, SETM, SETE, SETGP, SETGM, SETGE,
  LDCLRP, LDSETP, SWPP,
  RCWCAS, RCWCASP, RCWCLR, RCWCLRP, RCWSET, RCWSETP, RCWSWP, RCWSWPP,
  RCWSCAS, RCWSCASP, RCWSCLR, RCWSCLRP, RCWSSET, RCWSSETP, RCWSSWP, RCWSSWPP,
  RPRFM, GCSSTR, GCSSTTR,

  // FP/SIMD: scalar FP, Advanced SIMD, crypto, structure loads/stores (fpsimd.ts, advsimd.ts, simd_ldst.ts);
  // a Q-form `2` suffix (`saddl2`) is printed, not a separate id
  ADDHN, ADDP, ADDV, AESD, AESE, AESIMC, AESMC, BCAX, BF1CVTL, BF2CVTL, BFCVT, BFCVTN, BFDOT, BFMLALB, BFMLALT,
  BFMMLA, BIF, BIT, BSL, CMEQ, CMGE, CMGT, CMHI, CMHS, CMLE, CMLT, CMTST, DUP, EOR3, EXT, F1CVTL, F2CVTL, FABD, FABS,
  FACGE, FACGT, FADD, FADDP, FAMAX, FAMIN, FCADD, FCCMP, FCCMPE, FCMEQ, FCMGE, FCMGT, FCMLA, FCMLE, FCMLT, FCMP,
  FCMPE, FCSEL, FCVT, FCVTAS, FCVTAU, FCVTL, FCVTMS, FCVTMU, FCVTN, FCVTNS, FCVTNU, FCVTPS, FCVTPU, FCVTXN, FCVTZS,
  FCVTZU, FDIV, FDOT, FJCVTZS, FMADD, FMAX, FMAXNM, FMAXNMP, FMAXNMV, FMAXP, FMAXV, FMIN, FMINNM, FMINNMP, FMINNMV,
  FMINP, FMINV, FMLA, FMLAL, FMLAL2, FMLALB, FMLALLBB, FMLALLBT, FMLALLTB, FMLALLTT, FMLALT, FMLS, FMLSL, FMLSL2,
  FMOV, FMSUB, FMUL, FMULX, FNEG, FNMADD, FNMSUB, FNMUL, FRECPE, FRECPS, FRECPX, FRINT32X, FRINT32Z, FRINT64X,
  FRINT64Z, FRINTA, FRINTI, FRINTM, FRINTN, FRINTP, FRINTX, FRINTZ, FRSQRTE, FRSQRTS, FSCALE, FSQRT, FSUB, LD1, LD1R,
  LD2, LD2R, LD3, LD3R, LD4, LD4R, LDAP1, LUTI2, LUTI4, MLA, MLS, MOVI, MVNI, PMUL, PMULL, RADDHN, RAX1, REV64,
  RSHRN, RSUBHN, SABA, SABAL, SABD, SABDL, SADALP, SADDL, SADDLP, SADDLV, SADDW, SCVTF, SDOT, SHA1C, SHA1H, SHA1M,
  SHA1P, SHA1SU0, SHA1SU1, SHA256H, SHA256H2, SHA256SU0, SHA256SU1, SHA512H, SHA512H2, SHA512SU0, SHA512SU1, SHADD,
  SHL, SHLL, SHRN, SHSUB, SLI, SM3PARTW1, SM3PARTW2, SM3SS1, SM3TT1A, SM3TT1B, SM3TT2A, SM3TT2B, SM4E, SM4EKEY,
  SMAXP, SMAXV, SMINP, SMINV, SMLAL, SMLSL, SMMLA, SMOV, SQABS, SQADD, SQDMLAL, SQDMLSL, SQDMULH, SQDMULL,
  SQNEG, SQRDMLAH, SQRDMLSH, SQRDMULH, SQRSHL, SQRSHRN, SQRSHRUN, SQSHL, SQSHLU, SQSHRN, SQSHRUN, SQSUB, SQXTN,
  SQXTUN, SRHADD, SRI, SRSHL, SRSHR, SRSRA, SSHL, SSHLL, SSHR, SSRA, SSUBL, SSUBW, ST1, ST2, ST3, ST4, STL1, SUBHN,
  SUDOT, SUQADD, TBL, TBX, TRN1, TRN2, UABA, UABAL, UABD, UABDL, UADALP, UADDL, UADDLP, UADDLV, UADDW, UCVTF,
  UDOT, UHADD, UHSUB, UMAXP, UMAXV, UMINP, UMINV, UMLAL, UMLSL, UMMLA, UMOV, UQADD, UQRSHL, UQRSHRN, UQSHL,
  UQSHRN, UQSUB, UQXTN, URECPE, URHADD, URSHL, URSHR, URSQRTE, URSRA, USDOT, USHL, USHLL, USHR, USMMLA, USQADD, USRA,
  USUBL, USUBW, UZP1, UZP2, XAR, XTN, ZIP1, ZIP2,

  // SVE/SME: SVE, SVE2 and SME mnemonics not named above (sve.ts, sme.ts; spec/sve.txt, spec/sme.txt)
  ADCLB, ADCLT, ADDHA, ADDHNB, ADDHNT, ADDPL, ADDQV, ADDSPL, ADDSVL, ADDVA, ADDVL, ANDQV, ANDV, ASRD, ASRR,
  BDEP, BEXT, BF1CVT, BF1CVTLT, BF2CVT, BF2CVTLT, BFADD, BFCLAMP, BFCVTNT, BFMAX, BFMAXNM, BFMIN, BFMINNM,
  BFMLA, BFMLAL, BFMLS, BFMLSL, BFMLSLB, BFMLSLT, BFMOPA, BFMOPS, BFMUL, BFSUB, BFVDOT, BGRP, BMOPA, BMOPS,
  BRKA, BRKAS, BRKB, BRKBS, BRKN, BRKNS, BRKPA, BRKPAS, BRKPB, BRKPBS, BSL1N, BSL2N, CADD, CDOT, CLASTA,
  CLASTB, CMLA, CMPEQ, CMPGE, CMPGT, CMPHI, CMPHS, CMPLE, CMPLO, CMPLS, CMPLT, CMPNE, CNOT, CNTB, CNTD, CNTH,
  CNTP, CNTW, COMPACT, CTERMEQ, CTERMNE, DECB, DECD, DECH, DECP, DECW, DUPM, DUPQ, EORBT, EORQV, EORS, EORTB,
  EORV, EXTQ, F1CVT, F1CVTLT, F2CVT, F2CVTLT, FADDA, FADDQV, FADDV, FCLAMP, FCMNE, FCMUO, FCVTLT, FCVTNB,
  FCVTNT, FCVTX, FCVTXNT, FDIVR, FEXPA, FLOGB, FMAD, FMAXNMQV, FMAXQV, FMINNMQV, FMINQV, FMLALL, FMLSLB,
  FMLSLT, FMMLA, FMOPA, FMOPS, FMSB, FNMAD, FNMLA, FNMLS, FNMSB, FSUBR, FTMAD, FTSMUL, FTSSEL, FVDOT, FVDOTB,
  FVDOTT, HISTCNT, HISTSEG, INCB, INCD, INCH, INCP, INCW, INDEX, INSR, LASTA, LASTB, LD1B, LD1D, LD1H, LD1Q,
  LD1RB, LD1RD, LD1RH, LD1ROB, LD1ROD, LD1ROH, LD1ROW, LD1RQB, LD1RQD, LD1RQH, LD1RQW, LD1RSB, LD1RSH, LD1RSW,
  LD1RW, LD1SB, LD1SH, LD1SW, LD1W, LD2B, LD2D, LD2H, LD2Q, LD2W, LD3B, LD3D, LD3H, LD3Q, LD3W, LD4B, LD4D,
  LD4H, LD4Q, LD4W, LDFF1B, LDFF1D, LDFF1H, LDFF1SB, LDFF1SH, LDFF1SW, LDFF1W, LDNF1B, LDNF1D, LDNF1H, LDNF1SB,
  LDNF1SH, LDNF1SW, LDNF1W, LDNT1B, LDNT1D, LDNT1H, LDNT1SB, LDNT1SH, LDNT1SW, LDNT1W, LSLR, LSRR, MAD, MADPT,
  MATCH, MLAPT, MOVAZ, MOVPRFX, MOVS, MOVT, MSB, NAND, NANDS, NBSL, NMATCH, NOR, NORS, NOT, NOTS, ORNS, ORQV,
  ORRS, ORV, PEXT, PFIRST, PMOV, PMULLB, PMULLT, PNEXT, PRFB, PRFD, PRFH, PRFW, PSEL, PTEST, PTRUE, PTRUES,
  PUNPKHI, PUNPKLO, RADDHNB, RADDHNT, RDFFR, RDFFRS, RDSVL, RDVL, REVB, REVD, REVH, REVW, RSHRNB, RSHRNT,
  RSUBHNB, RSUBHNT, SABALB, SABALT, SABDLB, SABDLT, SADDLB, SADDLBT, SADDLT, SADDV, SADDWB, SADDWT, SBCLB,
  SBCLT, SCLAMP, SDIVR, SEL, SHRNB, SHRNT, SHSUBR, SMAXQV, SMINQV, SMLALB, SMLALL, SMLALT, SMLSLB, SMLSLL,
  SMLSLT, SMOPA, SMOPS, SMULLB, SMULLT, SPLICE, SQCADD, SQCVT, SQCVTN, SQCVTU, SQCVTUN, SQDECB, SQDECD, SQDECH,
  SQDECP, SQDECW, SQDMLALB, SQDMLALBT, SQDMLALT, SQDMLSLB, SQDMLSLBT, SQDMLSLT, SQDMULLB, SQDMULLT, SQINCB,
  SQINCD, SQINCH, SQINCP, SQINCW, SQRDCMLAH, SQRSHLR, SQRSHR, SQRSHRNB, SQRSHRNT, SQRSHRU, SQRSHRUNB,
  SQRSHRUNT, SQSHLR, SQSHRNB, SQSHRNT, SQSHRUNB, SQSHRUNT, SQSUBR, SQXTNB, SQXTNT, SQXTUNB, SQXTUNT, SRSHLR,
  SSHLLB, SSHLLT, SSUBLB, SSUBLBT, SSUBLT, SSUBLTB, SSUBWB, SSUBWT, ST1B, ST1D, ST1H, ST1Q, ST1W, ST2B, ST2D,
  ST2H, ST2Q, ST2W, ST3B, ST3D, ST3H, ST3Q, ST3W, ST4B, ST4D, ST4H, ST4Q, ST4W, STNT1B, STNT1D, STNT1H, STNT1W,
  SUBHNB, SUBHNT, SUBR, SUMLALL, SUMOPA, SUMOPS, SUNPK, SUNPKHI, SUNPKLO, SUVDOT, SVDOT, TBLQ, TBXQ, UABALB,
  UABALT, UABDLB, UABDLT, UADDLB, UADDLT, UADDV, UADDWB, UADDWT, UCLAMP, UDIVR, UHSUBR, UMAXQV, UMINQV, UMLALB,
  UMLALL, UMLALT, UMLSLB, UMLSLL, UMLSLT, UMOPA, UMOPS, UMULLB, UMULLT, UQCVT, UQCVTN, UQDECB, UQDECD, UQDECH,
  UQDECP, UQDECW, UQINCB, UQINCD, UQINCH, UQINCP, UQINCW, UQRSHLR, UQRSHR, UQRSHRNB, UQRSHRNT, UQSHLR, UQSHRNB,
  UQSHRNT, UQSUBR, UQXTNB, UQXTNT, URSHLR, USHLLB, USHLLT, USMLALL, USMOPA, USMOPS, USUBLB, USUBLT, USUBWB,
  USUBWT, USVDOT, UUNPK, UUNPKHI, UUNPKLO, UVDOT, UXTW, UZP, UZPQ1, UZPQ2, WHILEGE, WHILEGT, WHILEHI, WHILEHS,
  WHILELE, WHILELO, WHILELS, WHILELT, WHILERW, WHILEWR, ZERO, ZIP, ZIPQ1, ZIPQ2,
  PFALSE, SETFFR, WRFFR,

  COUNT,
}

/** Lowercase names, one per member above, in order (generated: see the header). */
const NAMES = '<unknown> udf adr adrp add adds sub subs cmp cmn mov movz movn movk and ands orr eor tst bic bics orn eon mvn neg negs adc adcs sbc sbcs ngc ngcs rmif setf8 setf16 sbfm bfm ubfm asr lsl lsr ror sxtb sxth sxtw uxtb uxth sbfiz sbfx ubfiz ubfx bfi bfxil bfc extr ccmn ccmp csel csinc csinv csneg cset csetm cinc cinv cneg madd msub mul mneg smaddl smsubl umaddl umsubl smull smnegl umull umnegl smulh umulh udiv sdiv lslv lsrv asrv rorv crc32b crc32h crc32w crc32x crc32cb crc32ch crc32cw crc32cx rbit rev16 rev32 rev clz cls ctz cnt abs smax smin umax umin maddpt msubpt addpt subpt addg subg irg gmi subp subps cmpp ldg stg stzg st2g stz2g stgp ldgm stgm stzgm pacia pacib pacda pacdb autia autib autda autdb paciza pacizb pacdza pacdzb autiza autizb autdza autdzb xpaci xpacd pacga pacia1716 pacib1716 autia1716 autib1716 xpaclri paciaz paciasp pacibz pacibsp autiaz autiasp autibz autibsp retaa retab braa brab braaz brabz blraa blrab blraaz blrabz eretaa eretab ldraa ldrab pacm paciasppc pacibsppc pacnbiasppc pacnbibsppc autiasppc autibsppc autiasppcr autibsppcr pacia171615 pacib171615 autia171615 autib171615 retaasppc retabsppc retaasppcr retabsppcr bti b bl b bc cbz cbnz tbz tbnz br blr ret eret drps svc hvc smc brk hlt dcps1 dcps2 dcps3 tcancel hint nop yield wfe wfi sev sevl dgh esb psb tsb gcsb csdb clrbhb chkfeat clrex dmb dsb isb sb ssbb pssbb msr mrs msrr mrrs sys sysl sysp dc ic at tlbi tlbip cfp dvp cpp cosp brb gcspushm gcspopm gcsss1 gcsss2 gcspushx gcspopx gcspopcx trcit cfinv xaflag axflag wfet wfit tstart ttest tcommit smstart smstop ldr ldrb ldrh ldrsb ldrsh ldrsw str strb strh ldur ldurb ldurh ldursb ldursh ldursw stur sturb sturh ldtr ldtrb ldtrh ldtrsb ldtrsh ldtrsw sttr sttrb sttrh prfm prfum ldp stp ldnp stnp ldpsw stxr stlxr ldxr ldaxr stxp stlxp ldxp ldaxp stlr ldar stllr ldlar ldapr ldapur stlur ldapursb ldapursh ldapursw cas casp ldadd ldclr ldeor ldset ldsmax ldsmin ldumax ldumin swp stadd stclr steor stset stsmax stsmin stumax stumin ld64b st64b st64bv st64bv0 ldiapp stilp cpyfp cpyfm cpyfe cpyp cpym cpye setp setm sete setgp setgm setge ldclrp ldsetp swpp rcwcas rcwcasp rcwclr rcwclrp rcwset rcwsetp rcwswp rcwswpp rcwscas rcwscasp rcwsclr rcwsclrp rcwsset rcwssetp rcwsswp rcwsswpp rprfm gcsstr gcssttr addhn addp addv aesd aese aesimc aesmc bcax bf1cvtl bf2cvtl bfcvt bfcvtn bfdot bfmlalb bfmlalt bfmmla bif bit bsl cmeq cmge cmgt cmhi cmhs cmle cmlt cmtst dup eor3 ext f1cvtl f2cvtl fabd fabs facge facgt fadd faddp famax famin fcadd fccmp fccmpe fcmeq fcmge fcmgt fcmla fcmle fcmlt fcmp fcmpe fcsel fcvt fcvtas fcvtau fcvtl fcvtms fcvtmu fcvtn fcvtns fcvtnu fcvtps fcvtpu fcvtxn fcvtzs fcvtzu fdiv fdot fjcvtzs fmadd fmax fmaxnm fmaxnmp fmaxnmv fmaxp fmaxv fmin fminnm fminnmp fminnmv fminp fminv fmla fmlal fmlal2 fmlalb fmlallbb fmlallbt fmlalltb fmlalltt fmlalt fmls fmlsl fmlsl2 fmov fmsub fmul fmulx fneg fnmadd fnmsub fnmul frecpe frecps frecpx frint32x frint32z frint64x frint64z frinta frinti frintm frintn frintp frintx frintz frsqrte frsqrts fscale fsqrt fsub ld1 ld1r ld2 ld2r ld3 ld3r ld4 ld4r ldap1 luti2 luti4 mla mls movi mvni pmul pmull raddhn rax1 rev64 rshrn rsubhn saba sabal sabd sabdl sadalp saddl saddlp saddlv saddw scvtf sdot sha1c sha1h sha1m sha1p sha1su0 sha1su1 sha256h sha256h2 sha256su0 sha256su1 sha512h sha512h2 sha512su0 sha512su1 shadd shl shll shrn shsub sli sm3partw1 sm3partw2 sm3ss1 sm3tt1a sm3tt1b sm3tt2a sm3tt2b sm4e sm4ekey smaxp smaxv sminp sminv smlal smlsl smmla smov sqabs sqadd sqdmlal sqdmlsl sqdmulh sqdmull sqneg sqrdmlah sqrdmlsh sqrdmulh sqrshl sqrshrn sqrshrun sqshl sqshlu sqshrn sqshrun sqsub sqxtn sqxtun srhadd sri srshl srshr srsra sshl sshll sshr ssra ssubl ssubw st1 st2 st3 st4 stl1 subhn sudot suqadd tbl tbx trn1 trn2 uaba uabal uabd uabdl uadalp uaddl uaddlp uaddlv uaddw ucvtf udot uhadd uhsub umaxp umaxv uminp uminv umlal umlsl ummla umov uqadd uqrshl uqrshrn uqshl uqshrn uqsub uqxtn urecpe urhadd urshl urshr ursqrte ursra usdot ushl ushll ushr usmmla usqadd usra usubl usubw uzp1 uzp2 xar xtn zip1 zip2 adclb adclt addha addhnb addhnt addpl addqv addspl addsvl addva addvl andqv andv asrd asrr bdep bext bf1cvt bf1cvtlt bf2cvt bf2cvtlt bfadd bfclamp bfcvtnt bfmax bfmaxnm bfmin bfminnm bfmla bfmlal bfmls bfmlsl bfmlslb bfmlslt bfmopa bfmops bfmul bfsub bfvdot bgrp bmopa bmops brka brkas brkb brkbs brkn brkns brkpa brkpas brkpb brkpbs bsl1n bsl2n cadd cdot clasta clastb cmla cmpeq cmpge cmpgt cmphi cmphs cmple cmplo cmpls cmplt cmpne cnot cntb cntd cnth cntp cntw compact ctermeq ctermne decb decd dech decp decw dupm dupq eorbt eorqv eors eortb eorv extq f1cvt f1cvtlt f2cvt f2cvtlt fadda faddqv faddv fclamp fcmne fcmuo fcvtlt fcvtnb fcvtnt fcvtx fcvtxnt fdivr fexpa flogb fmad fmaxnmqv fmaxqv fminnmqv fminqv fmlall fmlslb fmlslt fmmla fmopa fmops fmsb fnmad fnmla fnmls fnmsb fsubr ftmad ftsmul ftssel fvdot fvdotb fvdott histcnt histseg incb incd inch incp incw index insr lasta lastb ld1b ld1d ld1h ld1q ld1rb ld1rd ld1rh ld1rob ld1rod ld1roh ld1row ld1rqb ld1rqd ld1rqh ld1rqw ld1rsb ld1rsh ld1rsw ld1rw ld1sb ld1sh ld1sw ld1w ld2b ld2d ld2h ld2q ld2w ld3b ld3d ld3h ld3q ld3w ld4b ld4d ld4h ld4q ld4w ldff1b ldff1d ldff1h ldff1sb ldff1sh ldff1sw ldff1w ldnf1b ldnf1d ldnf1h ldnf1sb ldnf1sh ldnf1sw ldnf1w ldnt1b ldnt1d ldnt1h ldnt1sb ldnt1sh ldnt1sw ldnt1w lslr lsrr mad madpt match mlapt movaz movprfx movs movt msb nand nands nbsl nmatch nor nors not nots orns orqv orrs orv pext pfirst pmov pmullb pmullt pnext prfb prfd prfh prfw psel ptest ptrue ptrues punpkhi punpklo raddhnb raddhnt rdffr rdffrs rdsvl rdvl revb revd revh revw rshrnb rshrnt rsubhnb rsubhnt sabalb sabalt sabdlb sabdlt saddlb saddlbt saddlt saddv saddwb saddwt sbclb sbclt sclamp sdivr sel shrnb shrnt shsubr smaxqv sminqv smlalb smlall smlalt smlslb smlsll smlslt smopa smops smullb smullt splice sqcadd sqcvt sqcvtn sqcvtu sqcvtun sqdecb sqdecd sqdech sqdecp sqdecw sqdmlalb sqdmlalbt sqdmlalt sqdmlslb sqdmlslbt sqdmlslt sqdmullb sqdmullt sqincb sqincd sqinch sqincp sqincw sqrdcmlah sqrshlr sqrshr sqrshrnb sqrshrnt sqrshru sqrshrunb sqrshrunt sqshlr sqshrnb sqshrnt sqshrunb sqshrunt sqsubr sqxtnb sqxtnt sqxtunb sqxtunt srshlr sshllb sshllt ssublb ssublbt ssublt ssubltb ssubwb ssubwt st1b st1d st1h st1q st1w st2b st2d st2h st2q st2w st3b st3d st3h st3q st3w st4b st4d st4h st4q st4w stnt1b stnt1d stnt1h stnt1w subhnb subhnt subr sumlall sumopa sumops sunpk sunpkhi sunpklo suvdot svdot tblq tbxq uabalb uabalt uabdlb uabdlt uaddlb uaddlt uaddv uaddwb uaddwt uclamp udivr uhsubr umaxqv uminqv umlalb umlall umlalt umlslb umlsll umlslt umopa umops umullb umullt uqcvt uqcvtn uqdecb uqdecd uqdech uqdecp uqdecw uqincb uqincd uqinch uqincp uqincw uqrshlr uqrshr uqrshrnb uqrshrnt uqshlr uqshrnb uqshrnt uqsubr uqxtnb uqxtnt urshlr ushllb ushllt usmlall usmopa usmops usublb usublt usubwb usubwt usvdot uunpk uunpkhi uunpklo uvdot uxtw uzp uzpq1 uzpq2 whilege whilegt whilehi whilehs whilele whilelo whilels whilelt whilerw whilewr zero zip zipq1 zipq2 pfalse setffr wrffr';

// ------------------------------------------------------------------------

export const PAC_FIRST = Mn.PACIA;
export const PAC_LAST = Mn.RETABSPPCR;

@inline export function isPac(id: Mn): bool {
  return id >= PAC_FIRST && id <= PAC_LAST;
}

/**
 * ASCII names in 16-byte slots (one per id) and their lengths, built once at
 * start: out.mn() copies a name with two 8-byte loads and stores, cheaper than
 * memory.copy for a few bytes.
 */
export const MN_SLOT: usize = 16;
const nameLen = new StaticArray<u8>(<i32>Mn.COUNT);
export const MN_BYTES: usize = buildNames();

@inline export function mnNameOff(id: Mn): usize {
  return <usize>id << 4;
}
@inline export function mnNameLen(id: Mn): usize {
  return unchecked(nameLen[id]);
}

function buildNames(): usize {
  const n = NAMES.length;
  const bytes = heap.alloc(<usize>Mn.COUNT * MN_SLOT);
  memory.fill(bytes, 0, <usize>Mn.COUNT * MN_SLOT);
  let id = 0;
  let start = 0;
  for (let i = 0; i <= n; i++) {
    const c: u32 = i < n ? <u32>NAMES.charCodeAt(i) : 32;
    if (c == 32) {
      if (id < <i32>Mn.COUNT) unchecked((nameLen[id] = <u8>(i - start)));
      id++;
      start = i + 1;
    } else if (id < <i32>Mn.COUNT && i - start < <i32>MN_SLOT) store<u8>(bytes + (<usize>id << 4) + (i - start), <u8>c);
  }
  return bytes;
}
